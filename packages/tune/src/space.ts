/**
 * JSON-safe search-space primitives. A space is a plain object of named parameter specs, so it is
 * stored in PostgreSQL (jsonb) and sent over the API exactly as written — list-valued categorical
 * choices included.
 */
import { ConfigError } from '@nflab/contracts';
import { z } from 'zod';

/** Any value JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** zod schema for {@link JsonValue}. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/** Makes a parameter active only when another parameter took one of `in`'s values. */
export interface Condition {
  readonly param: string;
  readonly in: readonly JsonValue[];
}

interface Conditional {
  /** When set, the parameter exists only in trials where `when.param` took one of `when.in`. */
  readonly when?: Condition;
}

/**
 * A real number in [low, high] (both ends included). `log` samples uniformly in log space
 * (low > 0); `step` restricts values to low, low + step, … up to the last one not above high.
 */
export interface FloatParam extends Conditional {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  /** @default false */
  readonly log?: boolean;
  readonly step?: number;
}

/**
 * An integer in [low, high] — INCLUSIVE at both ends (Optuna's convention, not Ray's `randint`,
 * whose high is exclusive: use `ray.randint` to convert). `step` (default 1) keeps low + k·step.
 */
export interface IntParam extends Conditional {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  /** @default false */
  readonly log?: boolean;
  /** @default 1 */
  readonly step?: number;
}

/** One of `choices`; choices may be any JSON value, lists and objects included. */
export interface CategoricalParam extends Conditional {
  readonly kind: 'categorical';
  readonly choices: readonly JsonValue[];
}

/** A constant recorded with the trial's parameters but never searched. */
export interface FixedParam extends Conditional {
  readonly kind: 'fixed';
  readonly value: JsonValue;
}

/** One searchable parameter. */
export type ParamSpec = FloatParam | IntParam | CategoricalParam | FixedParam;

/** A numeric parameter (the kinds with bounds). */
export type NumericParam = FloatParam | IntParam;

/** Named parameters; key order is the order parameters are sampled in (parents first). */
export type SearchSpace = Readonly<Record<string, ParamSpec>>;

/** Parameter values of one trial, keyed by name; inactive conditional parameters are absent. */
export type Params = Readonly<Record<string, JsonValue>>;

const conditionSchema = z.object({ param: z.string().min(1), in: z.array(jsonValueSchema).min(1) }).strict();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** zod schema of a float parameter (bounds and log/step checked by {@link searchSpaceSchema}). */
export const floatParamSchema = z
  .object({
    kind: z.literal('float'),
    low: finite,
    high: finite,
    log: z.boolean().optional(),
    step: finite.optional(),
    when: conditionSchema.optional(),
  })
  .strict();
/** zod schema of an int parameter (inclusive bounds). */
export const intParamSchema = z
  .object({
    kind: z.literal('int'),
    low: z.number().int(),
    high: z.number().int(),
    log: z.boolean().optional(),
    step: z.number().int().optional(),
    when: conditionSchema.optional(),
  })
  .strict();
/** zod schema of a categorical parameter. */
export const categoricalParamSchema = z
  .object({
    kind: z.literal('categorical'),
    choices: z.array(jsonValueSchema).min(1),
    when: conditionSchema.optional(),
  })
  .strict();
/** zod schema of a fixed parameter. */
export const fixedParamSchema = z
  .object({ kind: z.literal('fixed'), value: jsonValueSchema, when: conditionSchema.optional() })
  .strict();

/** zod schema of one parameter spec (discriminated on `kind`). */
export const paramSpecSchema = z.discriminatedUnion('kind', [
  floatParamSchema,
  intParamSchema,
  categoricalParamSchema,
  fixedParamSchema,
]);

/** Why a spec is invalid, or undefined when it is fine. */
const specProblem = (spec: ParamSpec): string | undefined => {
  if (spec.kind !== 'float' && spec.kind !== 'int') return undefined;
  if (spec.low > spec.high) return `low (${spec.low}) must be <= high (${spec.high})`;
  if (spec.step !== undefined && !(spec.step > 0)) return `step (${spec.step}) must be > 0`;
  if (spec.log) {
    if (!(spec.low > 0)) return `log scale needs low > 0, got ${spec.low}`;
    const step = spec.step ?? (spec.kind === 'int' ? 1 : undefined);
    if (step !== undefined && !(spec.low - step / 2 > 0))
      return `log scale with step ${step} needs low > step/2, got low ${spec.low}`;
  }
  return undefined;
};

/** zod schema of a whole space: valid bounds, and every condition names an earlier parameter. */
export const searchSpaceSchema = z.record(z.string().min(1), paramSpecSchema).superRefine((space, ctx) => {
  const seen = new Set<string>();
  for (const [name, spec] of Object.entries(space)) {
    const problem = specProblem(spec as ParamSpec);
    if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `parameter "${name}": ${problem}` });
    if (spec.when && !seen.has(spec.when.param)) {
      ctx.addIssue({
        code: 'custom',
        path: [name, 'when', 'param'],
        message: `parameter "${name}" depends on "${spec.when.param}", which must be a parameter listed before it (known: ${[...seen].join(', ') || 'none'})`,
      });
    }
    seen.add(name);
  }
});

/** Parses an untrusted space (from JSON, the API, the database); throws ConfigError naming the parameter. */
export const parseSearchSpace = (input: unknown): SearchSpace => {
  const result = searchSpaceSchema.safeParse(input);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.join('.') || '(space)'}: ${i.message}`)
      .join('; ');
    throw new ConfigError(`invalid search space: ${detail}`, { cause: result.error });
  }
  return result.data as SearchSpace;
};

/** Canonical JSON text of a value (object keys sorted), used to compare and index JSON choices. */
export const jsonKey = (value: JsonValue | undefined): string => {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonKey).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonKey(value[k])}`).join(',')}}`;
};
