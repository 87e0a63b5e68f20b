/** Reads what a driver error says (SQLSTATE, message) through the StoreError that wraps it. */

/** The errors of `error`'s cause chain, outermost first (bounded: a cycle must not hang). */
export const causeChain = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
};

/**
 * The string `code` properties along the chain: SQLSTATEs and errno names from the drivers (the
 * lab's own errors carry theirs too, e.g. a StoreError's 'store').
 */
export const errorCodes = (error: unknown): string[] =>
  causeChain(error).flatMap((link) => {
    const code = (link as { code?: unknown }).code;
    return typeof code === 'string' ? [code] : [];
  });

/** The SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';
/** The SQLSTATE of a foreign-key violation. */
export const FOREIGN_KEY_VIOLATION = '23503';
/** The SQLSTATE of text that is not a valid value of its type (e.g. a malformed uuid). */
export const INVALID_TEXT_REPRESENTATION = '22P02';

/** True when some message of the chain includes `text`. */
export const messageIncludes = (error: unknown, text: string): boolean =>
  causeChain(error).some((link) => link instanceof Error && link.message.includes(text));
