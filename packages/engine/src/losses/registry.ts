/** Every loss, keyed by its persisted id, and the parsing of loss specs (`loss`, `valid_loss`). */
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';
import type { LossEntry } from './define-loss.js';
import { distributionloss } from './distribution-loss.js';
import { huberloss } from './huber-loss.js';
import { mae } from './mae.js';
import { mape } from './mape.js';
import { mase } from './mase.js';
import { mqloss } from './mq-loss.js';
import { mse } from './mse.js';
import { quantileloss } from './quantile-loss.js';
import { relmse } from './relmse.js';
import { rmse } from './rmse.js';
import { smape } from './smape.js';
import { tukeyloss } from './tukey-loss.js';
import type { Loss } from './types.js';

/** The loss registry: one line per loss. */
export const LOSSES = {
  mae,
  mse,
  rmse,
  mape,
  smape,
  mase,
  relmse,
  huberloss,
  tukeyloss,
  quantileloss,
  mqloss,
  distributionloss,
} as const satisfies Record<string, LossEntry>;

/** A persisted loss id (`'mae'`, `'mqloss'` …). */
export type LossId = keyof typeof LOSSES;

/** A loss as specs write it: an id, or an object with the id and NeuralForecast's parameters. */
export type LossSpec = LossId | ({ readonly id: LossId } & Readonly<Record<string, unknown>>);

/** A spec after validation: id plus parameters with defaults applied. */
export interface ParsedLossSpec {
  readonly id: LossId;
  readonly params: Readonly<Record<string, unknown>>;
}

const LOSS_IDS = Object.keys(LOSSES) as LossId[];

/** Finds a loss id, accepting NeuralForecast's class names in any case (`'MQLoss'` -> `'mqloss'`). */
function lookupId(raw: unknown): LossId {
  if (typeof raw !== 'string') {
    throw new ConfigError(
      `loss: 'id' must be a string naming a loss, got ${JSON.stringify(raw)}; allowed: ${LOSS_IDS.join(', ')}`,
    );
  }
  const id = raw.toLowerCase();
  if (!Object.hasOwn(LOSSES, id)) {
    throw new ConfigError(`loss '${raw}' is not supported; allowed: ${LOSS_IDS.join(', ')}`);
  }
  return id as LossId;
}

/** Formats a zod failure as "loss 'x': parameter 'p' …; allowed: …". */
function describeIssues(id: LossId, error: z.ZodError, schema: z.ZodObject): string {
  const allowed = Object.keys(schema.shape);
  const allowedText = allowed.length > 0 ? allowed.join(', ') : 'no parameters';
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `loss '${id}': unknown parameter(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${allowedText}`;
      }
      const path = issue.path.map(String).join('.');
      return `loss '${id}': parameter '${path}' ${issue.message}`;
    })
    .join('; ');
}

/** Validates a loss spec (id or `{ id, ...params }`) against its registry schema. */
export function parseLossSpec(spec: unknown): ParsedLossSpec {
  const isObject = typeof spec === 'object' && spec !== null && !Array.isArray(spec);
  const { id: rawId, ...rawParams } = isObject ? (spec as Record<string, unknown>) : { id: spec };
  const id = lookupId(rawId);
  const schema: z.ZodObject = LOSSES[id].paramsSchema;
  const parsed = schema.safeParse(rawParams);
  if (!parsed.success)
    throw new ConfigError(describeIssues(id, parsed.error, schema), { cause: parsed.error });
  return { id, params: parsed.data as Record<string, unknown> };
}

/** Builds a loss from a spec (validated first). */
export function createLoss(spec: unknown): Loss {
  const { id, params } = parseLossSpec(spec);
  const entry = LOSSES[id] as LossEntry;
  return entry.create(params);
}

/** `loss` and `valid_loss` of a spec; `valid_loss` defaults to `loss`, as the lab's specs promise. */
export function resolveLosses(spec: { readonly loss?: unknown; readonly valid_loss?: unknown }): {
  loss: Loss;
  validLoss: Loss;
} {
  const loss = createLoss(spec.loss ?? 'mae');
  const validLoss =
    spec.valid_loss === undefined || spec.valid_loss === null
      ? createLoss(spec.loss ?? 'mae')
      : createLoss(spec.valid_loss);
  return { loss, validLoss };
}

/** One loss as the API and the UI list it: ids, description and a JSON Schema of its parameters. */
export interface LossDescription {
  readonly id: LossId;
  readonly label: string;
  readonly description: string;
  /** True when a spec must give parameters; false when the id alone is a valid loss. */
  readonly needsParams: boolean;
  readonly paramsJsonSchema: Record<string, unknown>;
}

/** Every loss with a JSON Schema of the parameters a spec may give (input side, defaults included). */
export function describeLosses(): LossDescription[] {
  return LOSS_IDS.map((id) => {
    const entry = LOSSES[id] as LossEntry;
    return {
      id,
      label: entry.label,
      description: entry.description,
      needsParams: !entry.paramsSchema.safeParse({}).success,
      // 'any' for the case-folding preprocess of DistributionLoss, which JSON Schema cannot express.
      paramsJsonSchema: z.toJSONSchema(entry.paramsSchema, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >,
    };
  });
}
