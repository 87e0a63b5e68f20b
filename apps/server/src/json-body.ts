/**
 * The JSON body parser with a nesting limit. A body nested thousands deep is a few kilobytes, yet
 * every recursive walk of it (validation messages, canonical JSON, fingerprints) can overflow the
 * stack; no spec nests past a dozen levels, so deeper bodies are refused with a 400 before they are
 * parsed. Everything else is Fastify's own parser (prototype-poisoning checks included).
 */
import type { FastifyInstance } from 'fastify';
import { InputError, jsonDeeperThan } from '@nflab/contracts';

/** Largest request body in bytes: a sweep spec is a few kilobytes; 1 MiB leaves room for long lists. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Replaces the `application/json` parser with one that refuses bodies nested deeper than `maxDepth`. */
export const limitJsonDepth = (app: FastifyInstance, maxDepth: number): void => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDeeperThan(text, maxDepth)) {
      done(
        new InputError([
          {
            path: 'body',
            message: `JSON nested deeper than ${maxDepth} levels; at most ${maxDepth} are allowed — flatten the document`,
          },
        ]),
        undefined,
      );
      return;
    }
    parse(request, text, (error, value) => {
      if (error === null) done(null, value);
      else done(new InputError([{ path: 'body', message: parseProblem(text) }]), undefined);
    });
  });
};

/**
 * Why Fastify's parser refused a body, in words naming the fix: its own errors say only "not
 * valid JSON", so the text is parsed again (only on this error path) for the position.
 */
const parseProblem = (text: string): string => {
  if (text.trim() === '') return 'empty; send a JSON object';
  try {
    JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message}); send one JSON object`;
  }
  // Valid JSON that Fastify still refused: prototype poisoning.
  return 'the keys "__proto__" and "constructor.prototype" are not allowed; remove them';
};
