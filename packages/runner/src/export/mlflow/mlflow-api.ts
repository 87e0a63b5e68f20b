/**
 * The MLflow REST calls an export needs, spoken over HTTP to the user's tracking server
 * (`MLFLOW_TRACKING_URI`): experiments by name, runs create/get/update, `runs/log-batch`, and
 * artifact uploads through the server's `mlflow-artifacts` proxy. These are the endpoints MLflow's
 * own clients call; there is no MLflow client for Node to reuse.
 */

/** Where and as whom to talk to MLflow. */
export interface MlflowConnection {
  /** The tracking server, e.g. `http://mlflow.internal:5000` (the API lives under `/api/2.0/`). */
  readonly trackingUri: string;
  /** `MLFLOW_TRACKING_TOKEN`: sent as a bearer token. */
  readonly token?: string;
  /** `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD`: HTTP basic auth, when no token. */
  readonly username?: string;
  readonly password?: string;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * An MLflow reply that is not a success; `retryable` unless the request itself was refused.
 * `errorCode` is MLflow's (`RESOURCE_DOES_NOT_EXIST`, `INVALID_PARAMETER_VALUE`, …) when it sent one.
 */
export class MlflowRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly errorCode?: string,
  ) {
    super(message);
    this.name = 'MlflowRequestError';
  }
}

/** MLflow's RunInfo, as far as an export reads it. */
export interface MlflowRemoteRun {
  readonly run_id: string;
  readonly experiment_id: string;
  readonly artifact_uri: string;
  readonly lifecycle_stage: string;
}

/** A key and its value (params, tags). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** One metric point. */
export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

/** Time-outs, rate limits and server errors are worth another try; other refusals are not. */
const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** The `<path>` an artifact upload goes to: the run's `mlflow-artifacts:` URI without scheme and host. */
export const proxiedArtifactPath = (artifactUri: string): string | undefined => {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  return match === null ? undefined : (match[1] ?? '').replace(/\/+$/, '');
};

/** A client of one MLflow tracking server. */
export class MlflowApi {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly connection: MlflowConnection) {
    this.fetch = connection.fetch ?? globalThis.fetch;
    this.base = connection.trackingUri.replace(/\/+$/, '');
  }

  private authorization(): Record<string, string> {
    const { token, username, password } = this.connection;
    if (token !== undefined) return { authorization: `Bearer ${token}` };
    if (username !== undefined)
      return {
        authorization: `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`,
      };
    return {};
  }

  private async request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: { json: unknown } | { bytes: Uint8Array },
  ): Promise<unknown> {
    const url = `${this.base}${path}`;
    const what = `${method} ${path.replace(/\?.*$/, '')}`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: {
          ...this.authorization(),
          ...(body === undefined
            ? {}
            : { 'content-type': 'json' in body ? 'application/json' : 'application/octet-stream' }),
        },
        // fetch's BodyInit wants bytes over a plain ArrayBuffer; a Buffer may sit on a shared one.
        ...(body === undefined
          ? {}
          : { body: 'json' in body ? JSON.stringify(body.json) : new Uint8Array(body.bytes) }),
        signal: AbortSignal.timeout(this.connection.timeoutMs),
      });
    } catch (error) {
      throw new MlflowRequestError(
        `MLflow at ${this.base} did not answer: ${(error as Error).message}`,
        true,
      );
    }
    const text = await response.text();
    let reply: unknown;
    try {
      reply = text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      reply = undefined;
    }
    if (!response.ok) {
      const { error_code: code, message } = (reply ?? {}) as { error_code?: unknown; message?: unknown };
      const said = typeof message === 'string' ? message : text.slice(0, 300);
      throw new MlflowRequestError(
        `MLflow answered ${response.status}${typeof code === 'string' ? ` ${code}` : ''} to ${what}: ${said}`,
        isRetryableStatus(response.status),
        typeof code === 'string' ? code : undefined,
      );
    }
    if (reply === undefined)
      throw new MlflowRequestError(`MLflow answered ${what} with text that is not JSON`, true);
    return reply;
  }

  /** The id of experiment `name`, created when missing (another exporter creating it at once is fine). */
  async experimentId(name: string): Promise<string> {
    const byName = async (): Promise<string | undefined> => {
      try {
        const reply = (await this.request(
          'GET',
          `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
        )) as { experiment?: { experiment_id?: string; lifecycle_stage?: string } };
        const experiment = reply.experiment;
        if (experiment?.lifecycle_stage === 'deleted')
          throw new MlflowRequestError(
            `MLflow's experiment '${name}' is deleted: restore it or choose another experiment_name`,
            false,
          );
        return experiment?.experiment_id;
      } catch (error) {
        if (error instanceof MlflowRequestError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST')
          return undefined;
        throw error;
      }
    };
    const existing = await byName();
    if (existing !== undefined) return existing;
    try {
      const created = (await this.request('POST', '/api/2.0/mlflow/experiments/create', {
        json: { name },
      })) as { experiment_id?: string };
      if (created.experiment_id !== undefined) return created.experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowRequestError && error.errorCode === 'RESOURCE_ALREADY_EXISTS'))
        throw error;
    }
    const raced = await byName();
    if (raced === undefined)
      throw new MlflowRequestError(`MLflow neither has nor created experiment '${name}'`, true);
    return raced;
  }

  /** Run `runId`, or undefined when the server has no such run. */
  async getRun(runId: string): Promise<MlflowRemoteRun | undefined> {
    try {
      const reply = (await this.request(
        'GET',
        `/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`,
      )) as { run?: { info?: MlflowRemoteRun } };
      return reply.run?.info;
    } catch (error) {
      if (error instanceof MlflowRequestError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST')
        return undefined;
      throw error;
    }
  }

  /** Creates a run; returns its RunInfo. */
  async createRun(input: {
    readonly experimentId: string;
    readonly runName: string;
    readonly startTime: number;
    readonly tags: readonly KeyValue[];
  }): Promise<MlflowRemoteRun> {
    const reply = (await this.request('POST', '/api/2.0/mlflow/runs/create', {
      json: {
        experiment_id: input.experimentId,
        run_name: input.runName,
        start_time: input.startTime,
        tags: input.tags,
      },
    })) as { run?: { info?: MlflowRemoteRun } };
    const info = reply.run?.info;
    if (info?.run_id === undefined)
      throw new MlflowRequestError('MLflow created a run but sent no run id', true);
    return info;
  }

  /** One `runs/log-batch` request; the caller keeps it within MLflow's limits. */
  async logBatch(
    runId: string,
    batch: { metrics?: readonly MetricPoint[]; params?: readonly KeyValue[]; tags?: readonly KeyValue[] },
  ): Promise<void> {
    await this.request('POST', '/api/2.0/mlflow/runs/log-batch', {
      json: {
        run_id: runId,
        metrics: batch.metrics ?? [],
        params: batch.params ?? [],
        tags: batch.tags ?? [],
      },
    });
  }

  /** Sets the run's final status and end time. */
  async updateRun(
    runId: string,
    update: { readonly status: string; readonly endTime: number },
  ): Promise<void> {
    await this.request('POST', '/api/2.0/mlflow/runs/update', {
      json: { run_id: runId, status: update.status, end_time: update.endTime },
    });
  }

  /** Uploads one file to `<proxied artifact root>/<path>` through the server's artifact proxy. */
  async uploadArtifact(artifactRoot: string, path: string, bytes: Uint8Array): Promise<void> {
    const segments = [...artifactRoot.split('/'), ...path.split('/')].filter((s) => s !== '');
    await this.request(
      'PUT',
      `/api/2.0/mlflow-artifacts/artifacts/${segments.map(encodeURIComponent).join('/')}`,
      {
        bytes,
      },
    );
  }
}
