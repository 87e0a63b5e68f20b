/**
 * The fingerprint under which an analysis is stored: a hash of its kind, its settings and the
 * state of every run it read (id and last update), so an unchanged question is answered from
 * nf_analyses and a run that changed since (new cross-validation rows, a rerun) gives a new key.
 */
import { createHash } from 'node:crypto';

/** A run as far as the fingerprint cares: which one, and when it last changed. */
export interface RunState {
  readonly id: string;
  readonly updated_at: Date;
}

/** JSON with object keys sorted, so equal settings hash equally whatever order they were written in. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** sha256 (hex) of the kind, the settings and the runs' states (in the order given). */
export const analysisFingerprint = (kind: string, settings: unknown, runs: readonly RunState[]): string =>
  createHash('sha256')
    .update(canonical({ kind, settings, runs: runs.map((r) => [r.id, r.updated_at.toISOString()]) }))
    .digest('hex');
