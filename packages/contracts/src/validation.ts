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

const shown = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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

const isRootTypeMismatch = (issues: readonly Issue[]): boolean =>
  issues.length > 0 && issues.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0);

/**
 * Replaces zod's bare "Invalid input" of a union with the issues of the alternative the value came
 * closest to (the type matched and its problems sit deepest), so `backend: "sklearn"` reports the allowed backends rather
 * than that it is neither a backend nor a list of backends. Paths become absolute.
 */
const flatten = (issues: readonly Issue[], prefix: readonly PropertyKey[]): Issue[] =>
  issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path } as Issue];
    // The alternative whose problems sit deepest got furthest, so it is the one the user meant.
    const depth = (branch: readonly Issue[]): number => Math.min(...branch.map((i) => i.path.length));
    const near = issue.errors
      .filter((branch) => !isRootTypeMismatch(branch))
      .reduce<Issue[] | undefined>(
        (best, branch) => (best === undefined || depth(branch) > depth(best) ? branch : best),
        undefined,
      );
    if (near !== undefined) return flatten(near, path);
    const expected = issue.errors.flatMap((branch) =>
      branch.map((i) => (i.code === 'invalid_type' ? i.expected : undefined)).filter((e) => e !== undefined),
    );
    return [
      { ...issue, path, message: `Invalid input: expected ${[...new Set(expected)].join(' or ')}` } as Issue,
    ];
  });
