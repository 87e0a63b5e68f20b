/**
 * The fingerprint under which an analysis is stored: a hash of its kind, its settings and the
 * state of every run it read (id and last update), so an unchanged question is answered from
 * nf_analyses and a run that changed since (new cross-validation rows, a rerun) gives a new key.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@nflab/contracts';

/** A run as far as the fingerprint cares: which one, and when it last changed. */
export interface RunState {
  readonly id: string;
  readonly updated_at: Date;
}

/** sha256 (hex) of the kind, the settings and the runs' states (in the order given). */
export const analysisFingerprint = (kind: string, settings: unknown, runs: readonly RunState[]): string =>
  createHash('sha256')
    .update(canonicalJson({ kind, settings, runs: runs.map((r) => [r.id, r.updated_at.toISOString()]) }))
    .digest('hex');
