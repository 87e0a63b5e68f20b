/**
 * Run tags: free key/value labels users put on runs (experiment type, phase, a note). One store holds
 * them and MLflow's run tags alike; the lab's own spec, CLI, API and UI write only user keys, within
 * the limits below. MLflow clients may also write `mlflow.*` keys there under MLflow's own limits.
 */
import { z } from 'zod';

/** How many user tags a run may carry and how long a key and a value may be. */
export const RUN_TAG_LIMITS = { count: 32, keyLength: 64, valueLength: 1000 } as const;

/**
 * Key prefixes the lab keeps for itself: `mlflow.` (MLflow's system tags: run name, user, parent,
 * source …) and `nflab.` (what the MLflow view derives from a lab run's columns).
 */
export const RESERVED_TAG_PREFIXES = ['mlflow.', 'nflab.'] as const;

/** True when `key` starts with one of {@link RESERVED_TAG_PREFIXES}. */
export const isReservedTagKey = (key: string): boolean =>
  RESERVED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix));

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;

/** A user tag key: 1–64 of letters, digits, `_ . : / -`, starting with a letter or digit, not reserved. */
export const runTagKeySchema = z
  .string()
  .min(1)
  .max(RUN_TAG_LIMITS.keyLength)
  .regex(KEY_PATTERN, {
    message: 'a tag key is letters, digits and _ . : / -, starting with a letter or digit',
  })
  .refine((key) => !isReservedTagKey(key), {
    message: `tag keys starting with ${RESERVED_TAG_PREFIXES.join(' or ')} are reserved`,
  });

/** A tag value: up to 1000 characters of text (line breaks allowed; NUL is not, PostgreSQL text cannot hold it). */
export const runTagValueSchema = z
  .string()
  .max(RUN_TAG_LIMITS.valueLength)
  .refine((value) => !value.includes('\u0000'), { message: 'a tag value may not contain NUL characters' });

/** A run's user tags, key → value, at most {@link RUN_TAG_LIMITS}.count of them. */
export const runTagsSchema = z
  .record(runTagKeySchema, runTagValueSchema)
  .refine((tags) => Object.keys(tags).length <= RUN_TAG_LIMITS.count, {
    message: `a run carries at most ${RUN_TAG_LIMITS.count} tags`,
  });

/** A run's tags, key → value. */
export type RunTags = z.output<typeof runTagsSchema>;

/**
 * Reads `key=value` (the CLI's `--tag`); the value may contain `=` and be empty. A ConfigError-free
 * parse: returns the reason instead, so callers word the error for their surface.
 */
export const parseTagAssignment = (text: string): { key: string; value: string } | { error: string } => {
  const at = text.indexOf('=');
  if (at <= 0) return { error: `"${text}" is not key=value` };
  return { key: text.slice(0, at), value: text.slice(at + 1) };
};
