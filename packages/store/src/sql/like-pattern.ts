/**
 * SQL LIKE patterns from users: checked before PostgreSQL sees them (a pattern ending in the escape
 * character is a server error there, which would surface as a 500), and matched in TypeScript with
 * the same meaning, so a name can be checked against the data pattern without a round trip.
 */
import { InputError } from '@nflab/contracts';

/** Longest LIKE pattern accepted: names are at most 63 bytes, so longer patterns only cost time. */
export const MAX_LIKE_PATTERN_LENGTH = 200;

/**
 * Returns `pattern` when PostgreSQL's LIKE accepts it (backslash is the escape character);
 * otherwise an InputError naming `field` and the fix.
 */
export const validateLikePattern = (pattern: unknown, field: string): string => {
  const fail = (message: string): never => {
    throw new InputError([{ path: field, message }]);
  };
  if (typeof pattern !== 'string') return fail(`must be a text LIKE pattern, got ${typeof pattern}`);
  if (pattern.length === 0) return fail('must not be empty; use % to match every name');
  if (pattern.length > MAX_LIKE_PATTERN_LENGTH) {
    return fail(`is ${pattern.length} characters long; at most ${MAX_LIKE_PATTERN_LENGTH} are allowed`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return fail('must not contain control characters');
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    if (i === pattern.length - 1) {
      return fail(
        `${JSON.stringify(pattern)} ends with the escape character \\; write \\\\ for a literal backslash`,
      );
    }
    i += 1; // the escaped character is taken literally, whatever it is
  }
  return pattern;
};

// Characters that mean something in a RegExp with the `u` flag (which allows no other escapes).
const escapeRegex = (char: string): string => char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

const regexCache = new Map<string, RegExp>();

/** True when `name` matches the LIKE `pattern` (validated first) exactly as PostgreSQL's LIKE would. */
export const likeMatches = (pattern: string, name: string): boolean => {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    validateLikePattern(pattern, 'pattern');
    const chars = Array.from(pattern); // by code point, as PostgreSQL's `_` matches one character
    let source = '';
    for (let i = 0; i < chars.length; i++) {
      const char = chars[i] as string;
      if (char === '\\') source += escapeRegex(chars[++i] as string);
      else if (char === '%') source += '.*';
      else if (char === '_') source += '.';
      else source += escapeRegex(char);
    }
    regex = new RegExp(`^${source}$`, 'su');
    if (regexCache.size > 100) regexCache.clear();
    regexCache.set(pattern, regex);
  }
  return regex.test(name);
};
