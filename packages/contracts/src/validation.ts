import type { z } from 'zod';
import { ConfigError } from './errors.js';

/** One problem found in an input: where (dotted path under `label`) and what is wrong. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** A ConfigError that keeps every issue, so an API can return them field by field. */
export class InputError extends ConfigError {
  constructor(readonly issues: readonly InputIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
}

const pathOf = (label: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    label,
  );

/**
 * Parses `value` with `schema`; on failure throws an {@link InputError} whose message names each
 * field (`label.field`), what was wrong and, through zod's messages, what is allowed.
 */
export const parseInput = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  label: string,
): z.output<Schema> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => ({ path: pathOf(label, issue.path), message: issue.message })),
  );
};
