/**
 * PostgreSQL stores no NUL character in text or jsonb, so a `%00` in a query string or path, or a
 * `\u0000` in a JSON body, would reach the database only to fail there as a 500. One hook refuses
 * such requests up front, naming the field, for every route alike.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InputError, type InputIssue } from '@nflab/contracts';

const NUL = '\u0000';

const MESSAGE = 'must not contain a NUL character (\\u0000, %00): remove it';

/**
 * Dotted paths (under `label`) of the strings in `value` — keys included — that hold a NUL.
 * Iterative, so however deeply a body nests, the walk cannot overflow the stack.
 */
export const nulPaths = (value: unknown, label: string): string[] => {
  const found: string[] = [];
  const pending: [unknown, string][] = [[value, label]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (item.includes(NUL)) found.push(path);
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => pending.push([element, `${path}[${index}]`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        const child = `${path}.${key.replaceAll(NUL, '\\u0000')}`;
        if (key.includes(NUL)) found.push(child);
        pending.push([element, child]);
      }
    }
  }
  return found.sort();
};

/** preValidation hook: 400 naming every query, path and body field that holds a NUL character. */
export const rejectNulCharacters = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
  const paths = [
    ...nulPaths(request.params, 'path'),
    ...nulPaths(request.query, 'query'),
    ...nulPaths(request.body, 'body'),
  ];
  if (paths.length === 0) return;
  throw new InputError(paths.map((path): InputIssue => ({ path, message: MESSAGE })));
};
