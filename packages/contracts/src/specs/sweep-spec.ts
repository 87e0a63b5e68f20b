/**
 * The sweep spec: many runs from one document. Every run-spec field may be a list of alternatives.
 * `mode: 'grid'` takes the Cartesian product over every listed field; `mode: 'defaults'` varies
 * only loto × unique_ids × model × backend (other fields take one value each or their default);
 * `mode: 'list'` gives the combinations explicitly in `runs`, each laid over the shared fields.
 *
 * `unique_ids` is already a list per run, so alternatives are a list of lists:
 * `unique_ids: ['N1', 'N2']` is ONE panel of two series; `unique_ids: [['N1', 'N2'], ['N3']]` is two
 * alternatives. `each_unique_id: true` splits every panel into one run per series instead.
 * `tracking` is not varied: its list is the sinks of every run; nor is `tags`, every run's labels.
 */
import { z } from 'zod';
import { RUN_FIELDS, RUN_FIELD_NAMES, type RunField } from './run-fields.js';
import { runTagsSchema } from './run-tags.js';

/** Sweep modes. */
export const SWEEP_MODES = ['defaults', 'grid', 'list'] as const;
/** A sweep mode. */
export type SweepMode = (typeof SWEEP_MODES)[number];

/** Fields `mode: 'defaults'` may vary. */
export const DEFAULTS_MODE_FIELDS = [
  'loto',
  'unique_ids',
  'model',
  'backend',
] as const satisfies readonly RunField[];

/** Fields a sweep may list alternatives for, in expansion order (the first varies slowest). */
export const VARIED_FIELDS = RUN_FIELD_NAMES.filter((name) => name !== 'tracking' && name !== 'unique_ids');

type VariedField = Exclude<RunField, 'tracking' | 'unique_ids'>;
type OneOrMany<S extends z.ZodType> = z.ZodOptional<z.ZodUnion<readonly [S, z.ZodArray<S>]>>;

const oneOrMany = <S extends z.ZodType>(schema: S): OneOrMany<S> =>
  z.union([schema, z.array(schema).min(1)]).optional();

const variedShape = Object.fromEntries(VARIED_FIELDS.map((name) => [name, oneOrMany(RUN_FIELDS[name])])) as {
  [K in VariedField]: OneOrMany<(typeof RUN_FIELDS)[K]>;
};

/** One panel (`['N1', 'N2']`) or alternatives (`[['N1', 'N2'], ['N3']]`). */
export const sweepUniqueIdsSchema = z.union([RUN_FIELDS.unique_ids, z.array(RUN_FIELDS.unique_ids).min(1)]);

/** A run entry of `mode: 'list'`: any run-spec fields, one value each, laid over the shared fields. */
export const listRunSchema = z
  .object(
    Object.fromEntries(RUN_FIELD_NAMES.map((name) => [name, RUN_FIELDS[name].optional()])) as {
      [K in RunField]: z.ZodOptional<(typeof RUN_FIELDS)[K]>;
    },
  )
  .strict();

/** zod schema of a sweep spec (structure only; combinations are checked when planned). */
export const sweepSpecSchema = z
  .object({
    /** Path or URL of this JSON Schema, for editors; not part of any run. */
    $schema: z.string().optional(),
    /** Name shown in listings. */
    name: z.string().min(1).max(200).optional(),
    /** How runs are formed. @default 'grid' */
    mode: z
      .enum(SWEEP_MODES)
      .default('grid')
      .describe(
        "'grid': Cartesian product over every listed field; 'defaults': only loto × unique_ids × model × backend vary; 'list': the combinations in runs. Default 'grid'.",
      ),
    /** One run per series of every panel instead of one run per panel. @default false */
    each_unique_id: z
      .boolean()
      .default(false)
      .describe('One run per series of every panel instead of one run per panel. Default false.'),
    unique_ids: sweepUniqueIdsSchema.optional(),
    tracking: RUN_FIELDS.tracking.optional(),
    /** Tags every run of the sweep carries (not varied); see the run spec's `tags`. */
    tags: runTagsSchema
      .optional()
      .describe('Labels every run of the sweep is recorded with, key → value (not varied).'),
    /** The combinations of `mode: 'list'`. */
    runs: z
      .array(listRunSchema)
      .min(1)
      .optional()
      .describe("mode 'list': the runs, each a set of run-spec fields laid over the shared fields."),
    ...variedShape,
  })
  .strict()
  .superRefine((sweep, ctx) => {
    const listed = listedFields(sweep);
    if (sweep.mode === 'list') {
      if (sweep.runs === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['runs'],
          message: "mode 'list' needs runs: [{ ...run fields }, …]",
        });
      }
      for (const name of listed) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `mode 'list' takes one shared value per field; put the alternatives of '${name}' in runs, or use mode 'grid'`,
        });
      }
      return;
    }
    if (sweep.runs !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['runs'],
        message: `runs is for mode 'list', not mode '${sweep.mode}'`,
      });
    }
    for (const name of ['loto', 'unique_ids', 'model'] as const) {
      if (sweep[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `required: mode '${sweep.mode}' needs ${name}`,
        });
      }
    }
    if (sweep.mode === 'defaults') {
      const allowed: readonly string[] = DEFAULTS_MODE_FIELDS;
      for (const name of listed.filter((field) => !allowed.includes(field))) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `mode 'defaults' varies only ${allowed.join(', ')}; '${name}' lists alternatives — give one value or use mode 'grid'`,
        });
      }
    }
  });

/** A sweep spec as written. */
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
/** A structurally valid sweep spec. */
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** True when `unique_ids` of a sweep lists alternatives (a list of lists). */
export const isUniqueIdAlternatives = (ids: SweepSpec['unique_ids']): ids is string[][] =>
  Array.isArray(ids) && Array.isArray(ids[0]);

/** The fields of a sweep that list alternatives (unique_ids counted when it is a list of lists). */
export const listedFields = (sweep: Pick<SweepSpec, VariedField | 'unique_ids'>): RunField[] =>
  RUN_FIELD_NAMES.filter((name) =>
    name === 'unique_ids'
      ? isUniqueIdAlternatives(sweep.unique_ids)
      : name !== 'tracking' && Array.isArray(sweep[name]),
  );
