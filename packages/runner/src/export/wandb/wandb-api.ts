/**
 * The two W&B endpoints a run needs, spoken over HTTP: the GraphQL `upsertBucket` mutation
 * (creates or updates the run with its config, tags, group and summary) and the run's
 * `file_stream` (history rows as `wandb-history.jsonl` lines, the summary as `wandb-summary.json`,
 * then `complete` with the exit code). These are the calls W&B's own clients make.
 *
 * Why not W&B's JS SDK (`@wandb/sdk`): every `wandb.init` registers process-wide SIGINT/SIGTERM
 * handlers that call `process.exit` (a server exporting many runs would leak listeners and lose its
 * graceful drain), starts a worker thread per run and keeps a global run stack — built for one
 * script logging one run live, not a service replaying finished runs.
 */

/** Where and as whom to talk to W&B. */
export interface WandbConnection {
  /** The API host, `https://api.wandb.ai` or a self-hosted server's. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** A W&B reply that is not a success; `retryable` unless the request itself was refused. */
export class WandbRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WandbRequestError';
  }
}

/** What `upsertBucket` takes (W&B's names). */
export interface UpsertRunInput {
  readonly name: string;
  readonly project: string;
  /** Empty: the API key's default entity. */
  readonly entity?: string;
  readonly displayName: string;
  readonly groupName?: string;
  readonly jobType: string;
  readonly tags: readonly string[];
  /** W&B's config JSON: `{ key: { value, desc } }`. */
  readonly config: Readonly<Record<string, { readonly value: unknown; readonly desc: null }>>;
  readonly summaryMetrics: Readonly<Record<string, unknown>>;
  readonly notes?: string;
}

/** The run as W&B stored it. */
export interface UpsertedRun {
  readonly name: string;
  readonly project: string;
  readonly entity: string;
}

const UPSERT_BUCKET = `mutation UpsertBucket($name: String, $project: String, $entity: String, $groupName: String,
  $displayName: String, $notes: String, $config: JSONString, $jobType: String, $tags: [String!],
  $summaryMetrics: JSONString) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, groupName: $groupName,
    displayName: $displayName, notes: $notes, config: $config, jobType: $jobType, tags: $tags,
    summaryMetrics: $summaryMetrics}) {
    bucket { id name displayName project { id name entity { id name } } }
    inserted
  }
}`;

/** W&B's rate limit (429) and server errors are worth another try; other refusals are not. */
const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** A client of one W&B server. */
export class WandbApi {
  private readonly fetch: typeof fetch;

  constructor(private readonly connection: WandbConnection) {
    this.fetch = connection.fetch ?? globalThis.fetch;
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const url = `${this.connection.baseUrl.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`api:${this.connection.apiKey}`).toString('base64')}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.connection.timeoutMs),
      });
    } catch (error) {
      throw new WandbRequestError(`W&B at ${url} did not answer: ${(error as Error).message}`, true);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new WandbRequestError(
        `W&B answered ${response.status} to POST ${path}: ${text.slice(0, 300)}`,
        isRetryableStatus(response.status),
      );
    }
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw new WandbRequestError(`W&B answered POST ${path} with text that is not JSON`, true);
    }
  }

  /** Creates or updates the run; returns where W&B put it. */
  async upsertRun(input: UpsertRunInput): Promise<UpsertedRun> {
    const reply = (await this.post('/graphql', {
      query: UPSERT_BUCKET,
      variables: {
        name: input.name,
        project: input.project,
        entity: input.entity ?? null,
        groupName: input.groupName ?? null,
        displayName: input.displayName,
        notes: input.notes ?? null,
        jobType: input.jobType,
        tags: input.tags,
        config: JSON.stringify(input.config),
        summaryMetrics: JSON.stringify(input.summaryMetrics),
      },
    })) as {
      data?: {
        upsertBucket?: {
          bucket?: { name?: string; project?: { name?: string; entity?: { name?: string } } };
        };
      };
      errors?: { message?: string }[];
    };
    const bucket = reply.data?.upsertBucket?.bucket;
    if (reply.errors?.length || bucket?.project?.entity?.name === undefined) {
      const messages = (reply.errors ?? []).map((e) => e.message ?? '').join('; ');
      // GraphQL errors are the request's fault (unknown entity, no permission): retrying repeats them.
      throw new WandbRequestError(`W&B refused the run: ${messages || 'no run in the reply'}`, false);
    }
    return {
      name: bucket.name ?? input.name,
      project: bucket.project.name ?? input.project,
      entity: bucket.project.entity.name,
    };
  }

  /** Sends one file_stream payload of run `run`. */
  async streamFiles(run: UpsertedRun, payload: Readonly<Record<string, unknown>>): Promise<void> {
    const path = ['files', run.entity, run.project, run.name, 'file_stream']
      .map(encodeURIComponent)
      .join('/');
    await this.post(`/${path}`, payload);
  }
}
