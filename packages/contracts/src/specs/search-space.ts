/**
 * The JSON shape of a search space as specs carry it, checked structurally only: @nflab/tune
 * re-validates bounds, log scales and conditions when it builds a study. Kept here so the web app
 * can render and validate spaces without importing tune.
 */
import { z } from 'zod';

/** Any JSON value (categorical choices and fixed values may be lists or objects). */
export type SpecJsonValue =
  null | boolean | number | string | SpecJsonValue[] | { [key: string]: SpecJsonValue };

/** zod schema of a JSON value. */
export const specJsonValueSchema: z.ZodType<SpecJsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(specJsonValueSchema),
    z.record(z.string(), specJsonValueSchema),
  ]),
);

const when = z
  .object({ param: z.string().min(1), in: z.array(specJsonValueSchema).min(1) })
  .strict()
  .describe('The parameter exists only in trials where `param` took one of `in`.');

/** One parameter of a search space, discriminated on `kind` (bounds inclusive, as tune's). */
export const searchParamSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('float'),
      low: z.number(),
      high: z.number(),
      log: z.boolean().optional(),
      step: z.number().positive().optional(),
      when: when.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('int'),
      low: z.number().int(),
      high: z.number().int(),
      log: z.boolean().optional(),
      step: z.number().int().positive().optional(),
      when: when.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('categorical'),
      choices: z.array(specJsonValueSchema).min(1),
      when: when.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('fixed'), value: specJsonValueSchema, when: when.optional() }).strict(),
]);

/** A search space: parameter name -> parameter; key order is sampling order (parents first). */
export const searchSpaceSpecSchema = z
  .record(z.string().min(1), searchParamSchema)
  .refine((space) => Object.keys(space).length > 0, 'a search space needs at least one parameter');

/** A search space as a spec carries it. */
export type SearchSpaceSpec = z.output<typeof searchSpaceSpecSchema>;
