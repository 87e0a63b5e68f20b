/**
 * The nesting limit of JSON documents the lab reads (API bodies, spec files). A document nested
 * thousands deep is a few kilobytes, yet every recursive walk of it (validation messages,
 * canonical JSON, fingerprints) can overflow the stack; no spec nests past a dozen levels.
 */

/** Deepest nesting of objects and arrays a JSON document may have. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * True when the JSON text nests objects/arrays deeper than `max`. One pass over the characters with
 * a counter (brackets inside strings skipped), so it costs no stack whatever the input.
 */
export const jsonDeeperThan = (text: string, max: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
};
