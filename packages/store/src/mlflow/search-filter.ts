/**
 * MLflow's run search filter and order_by grammar, parsed into plain data (no SQL here; see
 * search-sql.ts). A filter is clauses joined by AND, each `<entity>.<key> <comparator> <value>`:
 *
 *   metrics.loss < 1 and params.solver = 'saga' and tags.`mlflow.runName` LIKE 'parent%'
 *   attributes.status IN ('FINISHED', 'FAILED') and attributes.start_time >= 1700000000000
 *
 * Entities take MLflow's spellings (metric/metrics, param/params/parameter/parameters, tag/tags,
 * attribute/attributes/attr/run); a key is a bare name (dots allowed: tags.mlflow.runName) or
 * quoted in backticks or double quotes. Metrics and the time attributes compare numbers; params,
 * tags and the other attributes compare strings with =, !=, LIKE, ILIKE, IN and NOT IN. Every
 * refusal is an INVALID_PARAMETER_VALUE naming the part that is wrong, as MLflow's server does.
 */
import { invalidParameter } from './errors.js';

/** What a clause compares. */
export type FilterEntity = 'metric' | 'param' | 'tag' | 'attribute';

/** Comparators of numbers (metrics, time attributes). */
export const NUMERIC_COMPARATORS = ['=', '!=', '>', '>=', '<', '<='] as const;
/** Comparators of strings (params, tags, string attributes). */
export const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'] as const;
/** One comparator of either kind. */
export type Comparator = (typeof NUMERIC_COMPARATORS)[number] | (typeof STRING_COMPARATORS)[number];

/** Run attributes compared as strings. */
export const STRING_ATTRIBUTES = [
  'run_id',
  'run_name',
  'status',
  'user_id',
  'artifact_uri',
  'lifecycle_stage',
] as const;
/** Run attributes compared as numbers (milliseconds since the epoch); `created` is start_time. */
export const NUMERIC_ATTRIBUTES = ['start_time', 'end_time', 'created'] as const;
/** A run attribute a filter or order_by may name. */
export type RunAttribute = (typeof STRING_ATTRIBUTES)[number] | (typeof NUMERIC_ATTRIBUTES)[number];

/** One `entity.key comparator value` clause. */
export type FilterClause =
  | {
      readonly entity: 'metric' | 'attribute';
      readonly key: string;
      readonly comparator: (typeof NUMERIC_COMPARATORS)[number];
      readonly value: number;
    }
  | {
      readonly entity: 'param' | 'tag' | 'attribute';
      readonly key: string;
      readonly comparator: (typeof STRING_COMPARATORS)[number];
      /** A list for IN / NOT IN, one string otherwise. */
      readonly value: string | readonly string[];
    };

/** One order_by item. */
export interface OrderByItem {
  readonly entity: FilterEntity;
  readonly key: string;
  readonly ascending: boolean;
}

const ENTITY_NAMES: Readonly<Record<string, FilterEntity>> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

// MLflow accepts camel-cased aliases of some attributes.
const ATTRIBUTE_ALIASES: Readonly<Record<string, RunAttribute>> = {
  run_id: 'run_id',
  run_name: 'run_name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  lifecycle_stage: 'lifecycle_stage',
  start_time: 'start_time',
  end_time: 'end_time',
  created: 'created',
  Created: 'created',
  'run name': 'run_name',
  runName: 'run_name',
};

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'quoted'; readonly text: string; readonly quote: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'op'; readonly text: string; readonly at: number };

const WORD = /[A-Za-z0-9_.\-/:]/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Splits a filter into words, quoted texts, numbers, comparison symbols and punctuation. */
const tokenize = (text: string, what: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw invalidParameter(`${what}: the quote ${c} at position ${i} is never closed`);
      tokens.push({ kind: 'quoted', text: text.slice(i + 1, end), quote: c, at: i });
      i = end + 1;
    } else if ('<>=!'.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ['<=', '>=', '!=', '<>'].includes(two) ? two : c;
      if (op === '!') throw invalidParameter(`${what}: '!' at position ${i} must be followed by '='`);
      tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op, at: i });
      i += op.length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'op', text: c, at: i });
      i += 1;
    } else if (WORD.test(c) || c === '+') {
      let end = i + 1;
      while (end < text.length && WORD.test(text.charAt(end))) end += 1;
      const word = text.slice(i, end);
      tokens.push(
        NUMBER.test(word)
          ? { kind: 'number', value: Number(word), at: i }
          : { kind: 'word', text: word, at: i },
      );
      i = end;
    } else {
      throw invalidParameter(`${what}: unexpected character ${JSON.stringify(c)} at position ${i}`);
    }
  }
  return tokens;
};

/** A cursor over tokens with the helpers the recursive descent needs. */
class Tokens {
  private index = 0;
  constructor(
    private readonly tokens: readonly Token[],
    readonly what: string,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(expected: string): Token {
    const token = this.tokens[this.index];
    if (token === undefined) throw invalidParameter(`${this.what}: ended where ${expected} was expected`);
    this.index += 1;
    return token;
  }

  /** Consumes the keyword `word` (any case) when it is next. */
  acceptWord(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      this.index += 1;
      return true;
    }
    return false;
  }

  acceptOp(op: string): boolean {
    const token = this.peek();
    if (token?.kind === 'op' && token.text === op) {
      this.index += 1;
      return true;
    }
    return false;
  }

  get done(): boolean {
    return this.index >= this.tokens.length;
  }
}

const describe = (token: Token): string =>
  token.kind === 'number'
    ? `${token.value} at position ${token.at}`
    : `${JSON.stringify(token.kind === 'quoted' ? `${token.quote}${token.text}${token.quote}` : token.text)} at position ${token.at}`;

/** `entity.key` (the key bare, or quoted right after the dot). */
const parseIdentifier = (tokens: Tokens): { entity: FilterEntity; key: string } => {
  const token = tokens.next('an identifier such as metrics.loss');
  if (token.kind !== 'word')
    throw invalidParameter(
      `${tokens.what}: expected an identifier such as metrics.loss, got ${describe(token)}`,
    );
  const dot = token.text.indexOf('.');
  const prefix = dot < 0 ? token.text : token.text.slice(0, dot);
  const entity = ENTITY_NAMES[prefix];
  if (entity === undefined)
    throw invalidParameter(
      `${tokens.what}: ${JSON.stringify(token.text)} must start with metrics., params., tags. or attributes.`,
    );
  let key = dot < 0 ? '' : token.text.slice(dot + 1);
  if (key === '') {
    // `metrics.` followed by a quoted key; the tokenizer keeps the dot with the prefix.
    const quoted = tokens.next('a key after the entity');
    if (quoted.kind !== 'quoted' || quoted.quote === "'" || !token.text.endsWith('.'))
      throw invalidParameter(`${tokens.what}: ${JSON.stringify(token.text)} names no key`);
    key = quoted.text;
  }
  if (entity === 'attribute') {
    const attribute = ATTRIBUTE_ALIASES[key];
    if (attribute === undefined)
      throw invalidParameter(
        `${tokens.what}: attribute ${JSON.stringify(key)} is not one of ${[...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].join(', ')}`,
      );
    key = attribute;
  }
  return { entity, key };
};

const isNumeric = (entity: FilterEntity, key: string): boolean =>
  entity === 'metric' || (entity === 'attribute' && (NUMERIC_ATTRIBUTES as readonly string[]).includes(key));

const parseComparator = (tokens: Tokens): Comparator => {
  if (tokens.acceptWord('NOT')) {
    if (tokens.acceptWord('IN')) return 'NOT IN';
    throw invalidParameter(`${tokens.what}: NOT must be followed by IN`);
  }
  const token = tokens.next('a comparator');
  const text = token.kind === 'op' || token.kind === 'word' ? token.text.toUpperCase() : '';
  const all: readonly string[] = [...NUMERIC_COMPARATORS, ...STRING_COMPARATORS];
  if (!all.includes(text))
    throw invalidParameter(
      `${tokens.what}: expected a comparator (${all.join(', ')}), got ${describe(token)}`,
    );
  return text as Comparator;
};

const parseStringList = (tokens: Tokens): string[] => {
  if (!tokens.acceptOp('('))
    throw invalidParameter(`${tokens.what}: IN must be followed by a list ('a', 'b')`);
  const values: string[] = [];
  do {
    const token = tokens.next('a quoted value');
    if (token.kind !== 'quoted' || token.quote === '`')
      throw invalidParameter(`${tokens.what}: IN lists hold quoted strings, got ${describe(token)}`);
    values.push(token.text);
  } while (tokens.acceptOp(','));
  if (!tokens.acceptOp(')')) throw invalidParameter(`${tokens.what}: the IN list is not closed with ')'`);
  return values;
};

const parseClause = (tokens: Tokens): FilterClause => {
  const { entity, key } = parseIdentifier(tokens);
  const comparator = parseComparator(tokens);
  const name = `${entity}s.${key}`;
  if (isNumeric(entity, key)) {
    if (!(NUMERIC_COMPARATORS as readonly string[]).includes(comparator))
      throw invalidParameter(
        `${tokens.what}: ${name} is compared as a number, with one of ${NUMERIC_COMPARATORS.join(', ')}, not ${comparator}`,
      );
    const token = tokens.next('a number');
    if (token.kind !== 'number')
      throw invalidParameter(`${tokens.what}: ${name} is compared with a number, got ${describe(token)}`);
    return {
      entity: entity as 'metric' | 'attribute',
      key,
      comparator: comparator as (typeof NUMERIC_COMPARATORS)[number],
      value: token.value,
    };
  }
  if (!(STRING_COMPARATORS as readonly string[]).includes(comparator))
    throw invalidParameter(
      `${tokens.what}: ${name} is compared as a string, with one of ${STRING_COMPARATORS.join(', ')}, not ${comparator}`,
    );
  const stringComparator = comparator as (typeof STRING_COMPARATORS)[number];
  const stringEntity = entity as 'param' | 'tag' | 'attribute';
  if (stringComparator === 'IN' || stringComparator === 'NOT IN')
    return { entity: stringEntity, key, comparator: stringComparator, value: parseStringList(tokens) };
  const token = tokens.next('a quoted string');
  if (token.kind !== 'quoted' || token.quote === '`')
    throw invalidParameter(
      `${tokens.what}: ${name} is compared with a quoted string, got ${describe(token)}`,
    );
  return { entity: stringEntity, key, comparator: stringComparator, value: token.text };
};

/** Parses a run search filter; empty or blank means no condition. */
export const parseSearchFilter = (filter: string | undefined): FilterClause[] => {
  if (filter === undefined || filter.trim() === '') return [];
  const tokens = new Tokens(tokenize(filter, 'filter'), 'filter');
  const clauses = [parseClause(tokens)];
  while (!tokens.done) {
    const token = tokens.next('AND');
    if (token.kind === 'word' && token.text.toUpperCase() === 'OR')
      throw invalidParameter(
        `filter: OR is not supported (MLflow joins clauses with AND only), at position ${token.at}`,
      );
    if (token.kind !== 'word' || token.text.toUpperCase() !== 'AND')
      throw invalidParameter(`filter: expected AND between clauses, got ${describe(token)}`);
    clauses.push(parseClause(tokens));
  }
  return clauses;
};

/** Parses one order_by item: `metrics.loss`, `attributes.start_time DESC`, `params.\`a b\` ASC`. */
export const parseOrderBy = (item: string): OrderByItem => {
  const what = `order_by ${JSON.stringify(item)}`;
  const tokens = new Tokens(tokenize(item, what), what);
  const { entity, key } = parseIdentifier(tokens);
  let ascending = true;
  if (tokens.acceptWord('DESC')) ascending = false;
  else tokens.acceptWord('ASC');
  if (!tokens.done) throw invalidParameter(`${what}: expected ASC or DESC after the key, then nothing`);
  return { entity, key, ascending };
};
