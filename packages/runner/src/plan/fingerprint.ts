/** A run's identity: a hash of the canonical JSON of its parsed spec, for keys and display. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@nflab/contracts';

/** Re-exported so runner callers find the identity's text form beside its hash. */
export { canonicalJson };

/** SHA-256 (hex) of a value's canonical JSON: equal for specs that parse to the same run. */
export const fingerprintOf = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value)).digest('hex');
