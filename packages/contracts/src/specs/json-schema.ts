/** JSON Schemas of the specs for editors (`"$schema"` in a spec file gives completion and checks). */
import { z } from 'zod';
import { runSpecSchema } from './run-spec.js';
import { sweepSpecSchema } from './sweep-spec.js';

const generate = (schema: z.ZodType, title: string): Record<string, unknown> => ({
  ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }),
  title,
});

/** The committed schema files (`docs/schemas/<file>`) and their content, generated from the zod schemas. */
export const specJsonSchemas = (): Record<string, Record<string, unknown>> => ({
  'run-spec.schema.json': generate(runSpecSchema, 'NF Loto Lab run spec'),
  'sweep-spec.schema.json': generate(sweepSpecSchema, 'NF Loto Lab sweep spec'),
});
