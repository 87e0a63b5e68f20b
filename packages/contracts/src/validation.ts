import type { z } from 'zod';
import { ConfigError } from './errors.js';

/** One problem found in an input: where (dotted path under `label`) and what is wrong. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** A ConfigError that keeps every issue, so an API can return them field by field. */
export class InputError extends ConfigError {
  constructor(readonly issues: readonly InputIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
}

const pathText = (label: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    label,
  );

const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown => {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

/** Longest preview of a value a message quotes. */
const SHOWN_CHARS = 80;
/** Nesting a preview descends before writing `…`; keeps the preview's recursion shallow whatever the input. */
const SHOWN_DEPTH = 4;

/**
 * A JSON-like preview of `value` in at most {@link SHOWN_CHARS} characters. Not JSON.stringify: that
 * walks the whole value, so a body nested thousands deep overflowed the stack while a message was built.
 */
const preview = (value: unknown, depth: number, budget: { left: number }): string => {
  if (budget.left <= 0) return '';
  let text: string;
  if (value === null || typeof value !== 'object') {
    text =
      typeof value === 'string' ? JSON.stringify(value.slice(0, budget.left)) : String(JSON.stringify(value));
  } else if (depth >= SHOWN_DEPTH) {
    text = Array.isArray(value) ? '[…]' : '{…}';
  } else {
    const parts: string[] = [];
    const list = Array.isArray(value);
    const keys = list ? undefined : Object.keys(value);
    const count = keys === undefined ? (value as unknown[]).length : keys.length;
    budget.left -= 1;
    for (let i = 0; i < count && budget.left > 0; i += 1) {
      const key = keys?.[i];
      const label = key === undefined ? '' : `${JSON.stringify(key)}:`;
      budget.left -= label.length + 1;
      const item = key === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
      parts.push(label + preview(item, depth + 1, budget));
    }
    return list ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
  }
  budget.left -= text.length;
  return text;
};

const shown = (value: unknown): string => {
  const text = preview(value, 0, { left: SHOWN_CHARS });
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 3)}...` : text;
};

interface SchemaNode {
  readonly def: {
    readonly type: string;
    readonly innerType?: SchemaNode;
    readonly in?: SchemaNode;
    readonly element?: SchemaNode;
    readonly shape?: Record<string, SchemaNode>;
  };
}

/** Strips wrappers (optional, default, nullable, transform pipes) that hide an object or array. */
const unwrap = (node: SchemaNode): SchemaNode => {
  let current = node;
  for (;;) {
    const next = current.def.innerType ?? (current.def.type === 'pipe' ? current.def.in : undefined);
    if (next === undefined) return current;
    current = next;
  }
};

/** Field names of the object schema at `path` inside `schema`, when the path leads to one. */
const keysAt = (schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined => {
  let node: SchemaNode | undefined = unwrap(schema as unknown as SchemaNode);
  for (const key of path) {
    const next: SchemaNode | undefined =
      typeof key === 'number' ? node.def.element : node.def.shape?.[String(key)];
    if (next === undefined) return undefined;
    node = unwrap(next);
  }
  return node.def.shape === undefined ? undefined : Object.keys(node.def.shape);
};

/**
 * Parses `value` with `schema`; on failure throws an {@link InputError} whose issues read
 * `label.field: what is wrong (got <value>)`, listing the allowed keys for unknown ones and, for
 * unions, the problems of the alternative the value came closest to.
 */
export const parseInput = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  label: string,
): z.output<Schema> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: InputIssue[] = flatten(result.error.issues, []).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, issue.path);
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      return {
        path: pathText(label, issue.path),
        message: `unknown field(s) ${keys}${allowed ? `; allowed: ${allowed.join(', ')}` : ''}`,
      };
    }
    const given = valueAt(value, issue.path);
    const got = given === undefined ? ' (missing)' : ` (got ${shown(given)})`;
    return { path: pathText(label, issue.path), message: `${issue.message}${got}` };
  });
  throw new InputError(issues);
};

type Issue = z.core.$ZodIssue;

/** Nested unions {@link flatten} descends into before it reports the union as zod does. */
const MAX_UNION_DEPTH = 32;

const isRootTypeMismatch = (issues: readonly Issue[]): boolean =>
  issues.length > 0 && issues.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0);

/**
 * Replaces zod's bare "Invalid input" of a union with the issues of the alternative the value came
 * closest to (the type matched and its problems sit deepest), so `backend: "sklearn"` reports the allowed backends rather
 * than that it is neither a backend nor a list of backends. Paths become absolute.
 */
const flatten = (issues: readonly Issue[], prefix: readonly PropertyKey[], depth = 0): Issue[] =>
  issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    // Unions nest as deep as the schema does, not the value; the cap only guards a recursive schema.
    if (issue.code !== 'invalid_union' || issue.errors.length === 0 || depth >= MAX_UNION_DEPTH)
      return [{ ...issue, path } as Issue];
    // The alternative whose problems sit deepest got furthest, so it is the one the user meant.
    const reach = (branch: readonly Issue[]): number => Math.min(...branch.map((i) => i.path.length));
    const near = issue.errors
      .filter((branch) => !isRootTypeMismatch(branch))
      .reduce<Issue[] | undefined>(
        (best, branch) => (best === undefined || reach(branch) > reach(best) ? branch : best),
        undefined,
      );
    if (near !== undefined) return flatten(near, path, depth + 1);
    const expected = issue.errors.flatMap((branch) =>
      branch.map((i) => (i.code === 'invalid_type' ? i.expected : undefined)).filter((e) => e !== undefined),
    );
    return [
      { ...issue, path, message: `Invalid input: expected ${[...new Set(expected)].join(' or ')}` } as Issue,
    ];
  });
