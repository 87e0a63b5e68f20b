/**
 * The filter grammar of MLflow's registry and logged-model searches, which differs from the run
 * search's: attributes are bare names (`name = 'nhits'`, `run_id IN ('…')`, `version_number > 2`)
 * and tags are `tag.key` / `tags.`key``. Clauses are joined by AND. Each search says which
 * attributes it knows; anything else is refused with INVALID_PARAMETER_VALUE, as MLflow's server
 * does. Registries hold tens to hundreds of versions, so clauses are matched in memory.
 */
import { invalidParameter } from './errors.js';

/** Comparators the registry searches accept. */
export const REGISTRY_COMPARATORS = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'LIKE',
  'ILIKE',
  'IN',
  'NOT IN',
] as const;
/** One of {@link REGISTRY_COMPARATORS}. */
export type RegistryComparator = (typeof REGISTRY_COMPARATORS)[number];

/** One clause: an attribute (`tag` with `tagKey` for tags) compared with a value or list. */
export interface RegistryClause {
  readonly attribute: string;
  readonly tagKey?: string;
  readonly comparator: RegistryComparator;
  readonly value: string | number | readonly string[];
}

/** What a clause is matched against: attribute values and tags. */
export interface RegistrySubject {
  readonly attributes: Readonly<Record<string, string | number | undefined>>;
  readonly tags: Readonly<Record<string, string>>;
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string; readonly quote: string }
  | { readonly kind: 'op'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number };

const TOKEN =
  /\s*(?:(`[^`]*`|"[^"]*"|'(?:[^'\\]|\\.)*')|(!=|<>|<=|>=|=|<|>|\(|\)|,)|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.]*))/y;

const tokenize = (filter: string): Token[] => {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    if (filter.slice(TOKEN.lastIndex).trim() === '') break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(filter);
    if (match === null) throw invalidParameter(`filter: cannot read ${JSON.stringify(filter.slice(at))}`);
    const [, quoted, op, number, word] = match;
    if (quoted !== undefined)
      tokens.push({
        kind: 'quoted',
        quote: quoted[0] as string,
        text: quoted.slice(1, -1).replace(/\\'/g, "'"),
      });
    else if (op !== undefined) tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op });
    else if (number !== undefined) tokens.push({ kind: 'number', value: Number(number) });
    else tokens.push({ kind: 'word', text: word as string });
  }
  return tokens;
};

/**
 * Parses a registry search filter; `attributes` are the names this search knows, `numeric` the
 * ones compared as numbers. Empty or blank means no condition.
 */
export const parseRegistryFilter = (
  filter: string | undefined,
  attributes: readonly string[],
  numeric: readonly string[] = [],
): RegistryClause[] => {
  if (filter === undefined || filter.trim() === '') return [];
  const tokens = tokenize(filter);
  let index = 0;
  const next = (what: string): Token => {
    const token = tokens[index++];
    if (token === undefined) throw invalidParameter(`filter ${JSON.stringify(filter)}: expected ${what}`);
    return token;
  };
  const word = (token: Token | undefined, text: string): boolean =>
    token?.kind === 'word' && token.text.toUpperCase() === text;
  const clauses: RegistryClause[] = [];
  for (;;) {
    const identifier = next('an attribute such as name');
    if (identifier.kind !== 'word' && !(identifier.kind === 'quoted' && identifier.quote === '`'))
      throw invalidParameter(`filter ${JSON.stringify(filter)}: expected an attribute such as name`);
    let attribute = identifier.text;
    let tagKey: string | undefined;
    const tagPrefix = /^tags?\.(.*)$/.exec(attribute);
    if (identifier.kind === 'word' && tagPrefix !== null) {
      tagKey = tagPrefix[1] as string;
      if (tagKey === '') {
        const quoted = next('a tag key');
        if (quoted.kind !== 'quoted' || quoted.quote === "'")
          throw invalidParameter(`filter ${JSON.stringify(filter)}: ${attribute} names no tag`);
        tagKey = quoted.text;
      }
      attribute = 'tag';
    } else if (!attributes.includes(attribute))
      throw invalidParameter(
        `filter ${JSON.stringify(filter)}: ${JSON.stringify(attribute)} is not one of ${[...attributes, 'tags.<key>'].join(', ')}`,
      );
    let comparator: string;
    if (word(tokens[index], 'NOT')) {
      index += 1;
      if (!word(next('IN'), 'IN'))
        throw invalidParameter(`filter ${JSON.stringify(filter)}: NOT must be followed by IN`);
      comparator = 'NOT IN';
    } else {
      const token = next('a comparator');
      comparator = token.kind === 'op' || token.kind === 'word' ? token.text.toUpperCase() : '';
    }
    if (!(REGISTRY_COMPARATORS as readonly string[]).includes(comparator))
      throw invalidParameter(
        `filter ${JSON.stringify(filter)}: expected a comparator (${REGISTRY_COMPARATORS.join(', ')}) after ${attribute}`,
      );
    const isNumeric = numeric.includes(attribute);
    if (!isNumeric && ['<', '<=', '>', '>='].includes(comparator))
      throw invalidParameter(
        `filter ${JSON.stringify(filter)}: ${attribute} is a string; ${comparator} compares numbers`,
      );
    let value: RegistryClause['value'];
    if (comparator === 'IN' || comparator === 'NOT IN') {
      const open = next("'('");
      if (open.kind !== 'op' || open.text !== '(')
        throw invalidParameter(`filter ${JSON.stringify(filter)}: IN must be followed by a list ('a', 'b')`);
      const list: string[] = [];
      for (;;) {
        const item = next('a quoted value');
        if (item.kind !== 'quoted' || item.quote === '`')
          throw invalidParameter(`filter ${JSON.stringify(filter)}: IN lists hold quoted strings`);
        list.push(item.text);
        const separator = next("',' or ')'");
        if (separator.kind === 'op' && separator.text === ')') break;
        if (separator.kind !== 'op' || separator.text !== ',')
          throw invalidParameter(`filter ${JSON.stringify(filter)}: the IN list is not closed with ')'`);
      }
      value = list;
    } else {
      const token = next('a value');
      if (isNumeric && token.kind === 'number') value = token.value;
      else if (token.kind === 'quoted' && token.quote !== '`') value = token.text;
      else
        throw invalidParameter(
          `filter ${JSON.stringify(filter)}: ${attribute} is compared with a quoted string`,
        );
    }
    clauses.push({
      attribute,
      ...(tagKey === undefined ? {} : { tagKey }),
      comparator: comparator as RegistryComparator,
      value,
    });
    if (index >= tokens.length) return clauses;
    if (!word(next('AND'), 'AND'))
      throw invalidParameter(`filter ${JSON.stringify(filter)}: clauses are joined with AND only`);
  }
};

const likePattern = (pattern: string, flags: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    `s${flags}`,
  );

/** Whether `subject` meets every clause (an absent attribute or tag meets only `!=` and NOT IN). */
export const matchesRegistryFilter = (
  clauses: readonly RegistryClause[],
  subject: RegistrySubject,
): boolean =>
  clauses.every(({ attribute, tagKey, comparator, value }) => {
    const actual = tagKey === undefined ? subject.attributes[attribute] : subject.tags[tagKey];
    if (comparator === 'NOT IN') return actual === undefined || !(value as string[]).includes(String(actual));
    if (comparator === '!=') return actual === undefined || String(actual) !== String(value);
    if (actual === undefined) return false;
    switch (comparator) {
      case '=':
        return String(actual) === String(value);
      case 'IN':
        return (value as string[]).includes(String(actual));
      case 'LIKE':
        return likePattern(String(value), '').test(String(actual));
      case 'ILIKE':
        return likePattern(String(value), 'i').test(String(actual));
      case '<':
        return Number(actual) < Number(value);
      case '<=':
        return Number(actual) <= Number(value);
      case '>':
        return Number(actual) > Number(value);
      case '>=':
        return Number(actual) >= Number(value);
    }
  });
