/** Nested JSON as dotted keys, for parameter tables and diffs. */

/** `{ a: { b: 1 }, c: [1, 2] }` → `{ 'a.b': 1, c: [1, 2] }`; arrays and scalars are leaves. */
export const flatten = (value: unknown, prefix = ''): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return prefix === '' ? {} : { [prefix]: value };
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.assign(result, flatten(inner, prefix === '' ? key : `${prefix}.${key}`));
    if (
      typeof inner === 'object' &&
      inner !== null &&
      !Array.isArray(inner) &&
      Object.keys(inner).length === 0
    ) {
      result[prefix === '' ? key : `${prefix}.${key}`] = {};
    }
  }
  return result;
};

/** A leaf as table text. */
export const leafText = (value: unknown): string =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** Keys whose values differ between the objects (present in some, absent in others counts). */
export const differingKeys = (objects: readonly Record<string, unknown>[]): Set<string> => {
  const keys = new Set(objects.flatMap((object) => Object.keys(object)));
  return new Set([...keys].filter((key) => new Set(objects.map((object) => leafText(object[key]))).size > 1));
};
