/** Random bearer secrets (session cookies, API tokens) and the hash they are stored as. */
import { createHash, randomBytes } from 'node:crypto';

/** A fresh secret: 32 random bytes, base64url, with a prefix saying what it is (`nfl_s_`, `nfl_t_`). */
export const newSecret = (prefix: 'nfl_s_' | 'nfl_t_'): string =>
  `${prefix}${randomBytes(32).toString('base64url')}`;

/** SHA-256 (hex) of a secret: what the database keeps, so a dump grants no access. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');
