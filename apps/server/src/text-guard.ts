/**
 * PostgreSQL stores neither a NUL character nor an unpaired UTF-16 surrogate in text or jsonb, so a
 * `%00` in a query string or path, or a `\u0000` or lone `\ud800` in a JSON body, would reach the
 * database only to fail there as a 500 (or, in a text column, be silently replaced). One hook
 * refuses such requests up front, naming the field, for every route alike.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InputError, type InputIssue } from '@nflab/contracts';

const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with `text` for the database, or undefined when it can be stored as it is. */
const textProblem = (text: string): string | undefined => {
  if (text.includes(NUL)) return 'must not contain a NUL character (\\u0000, %00): remove it';
  if (LONE_SURROGATE.test(text))
    return 'must be valid Unicode: it holds an unpaired surrogate (such as \\ud800); send whole characters';
  return undefined;
};

/** A key as it can be shown in a field path (JSON escapes NUL and lone surrogates). */
const shownKey = (key: string): string => JSON.stringify(key).slice(1, -1);

/**
 * Every string in `value` — keys included — that the database cannot store, with its dotted path
 * under `label`. Iterative, so however deeply a body nests, the walk cannot overflow the stack.
 */
export const unstorableText = (value: unknown, label: string): InputIssue[] => {
  const found: InputIssue[] = [];
  const pending: [unknown, string][] = [[value, label]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      const message = textProblem(item);
      if (message !== undefined) found.push({ path, message });
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => pending.push([element, `${path}[${index}]`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        const child = `${path}.${shownKey(key)}`;
        const message = textProblem(key);
        if (message !== undefined) found.push({ path: child, message: `the key ${message}` });
        pending.push([element, child]);
      }
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
};

/** preValidation hook: 400 naming every path, query and body field the database could not store. */
export const rejectUnstorableText = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
  const issues = [
    ...unstorableText(request.params, 'path'),
    ...unstorableText(request.query, 'query'),
    ...unstorableText(request.body, 'body'),
  ];
  if (issues.length > 0) throw new InputError(issues);
};
