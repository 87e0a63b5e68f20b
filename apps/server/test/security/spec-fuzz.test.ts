/**
 * Issue 11, seeded fuzz: mutated run and sweep specs (from docs/examples and the schemas' field
 * names: wrong types, dropped and added keys, huge lists, unicode, NaN-like strings, nested junk,
 * deep nesting) sent to POST /api/specs/validate and POST /api/sweeps/plan. No answer may be a
 * 5xx, and every 4xx must name the field at fault. PGlite only: the routes hold no SQL of their
 * own beyond the data checks the other suites run on both databases.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { RUN_FIELD_NAMES, Rng } from '@nflab/contracts';
import { importFile } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { SAME_ORIGIN, signIn } from '../sign-in.js';

const LOTO6 = new URL('../../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const EXAMPLES = new URL('../../../../docs/examples/', import.meta.url).pathname;
const SEED = 0x11_5eed;
const SPECS = 1000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Random = () => number;

/** The lab's seeded generator as a function, so a failure replays with the same specs. */
const generator = (seed: number): Random => {
  const rng = new Rng(seed);
  return () => rng.next();
};

const SEEDS: { kind: 'run' | 'sweep'; spec: Record<string, Json> }[] = [
  ...readdirSync(EXAMPLES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      kind: file.startsWith('run') ? ('run' as const) : ('sweep' as const),
      spec: JSON.parse(readFileSync(EXAMPLES + file, 'utf8')) as Record<string, Json>,
    })),
  {
    kind: 'sweep',
    spec: {
      mode: 'list',
      loto: 'loto6',
      unique_ids: ['N1'],
      max_steps: 10,
      runs: [
        { model: 'nhits', config: { input_size: 8 } },
        { model: 'auto_mlp', h: 2 },
      ],
    },
  },
  {
    kind: 'sweep',
    spec: {
      loto: 'loto6',
      unique_ids: [['N1', 'N2'], ['N3']],
      model: 'auto_nhits',
      search_space: {
        input_size: { kind: 'int', low: 4, high: 8 },
        learning_rate: { kind: 'float', low: 1e-4, high: 1e-2, log: true },
      },
      exogenous: { mode: 'explicit', hist_exog_list: ['num'] },
      config: { val_check_steps: 5 },
      max_steps: [10, 20],
    },
  },
];

const WEIRD_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x1f',
  ' 4 ',
  '',
  '2h',
  '-2h',
  '9999999999999999999h',
  '\u0000',
  '\ud800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u202eevil',
  'N1\u0000',
  '日本語',
  "'; DROP TABLE nf_users; --",
  '%00',
  '..\\..',
  '__proto__',
  'constructor',
  'x'.repeat(300),
  '[object Object]',
];
const WEIRD_NUMBERS = [0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 2, 1e-320, 3, 100, 65_536];
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

/** A random JSON value of nesting at most `depth`. */
const junk = (random: Random, depth: number): Json => {
  const roll = random();
  if (depth <= 0 || roll < 0.5) {
    return pick(random, [null, true, false, pick(random, WEIRD_NUMBERS), pick(random, WEIRD_STRINGS)]);
  }
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => junk(random, depth - 1));
  const keys = [
    ...RUN_FIELD_NAMES,
    'kind',
    'low',
    'high',
    'choices',
    'id',
    'mode',
    pick(random, WEIRD_STRINGS),
  ];
  return Object.fromEntries(
    Array.from({ length: Math.floor(random() * 4) }, () => [pick(random, keys), junk(random, depth - 1)]),
  );
};

/** `{"a": … }` nested `depth` deep around `inner`. */
const deep = (depth: number, array: boolean): Json => {
  let value: Json = 1;
  for (let i = 0; i < depth; i += 1) value = array ? [value] : { a: value };
  return value;
};

/**
 * Every container inside `value` down to 30 levels (itself included), so a mutation can land at
 * any depth — but never inside an earlier deep value, which would only compound it.
 */
const containers = (
  value: Json,
  out: (Json[] | Record<string, Json>)[] = [],
  depth = 0,
): (Json[] | Record<string, Json>)[] => {
  if (value !== null && typeof value === 'object' && depth < 30) {
    out.push(value);
    for (const item of Array.isArray(value) ? value : Object.values(value)) containers(item, out, depth + 1);
  }
  return out;
};

/** Applies one random mutation somewhere in `spec` (in place). */
const mutate = (random: Random, spec: Record<string, Json>): void => {
  const target = pick(random, containers(spec));
  const keys: (string | number)[] = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
  const set = (key: string | number, value: Json): void => {
    if (Array.isArray(target) && typeof key === 'string') target.push(value);
    // An own property even for '__proto__', as JSON.parse makes it, so the body carries the key.
    else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  };
  const key: string | number = keys.length > 0 ? pick(random, keys) : pick(random, RUN_FIELD_NAMES);
  const current = (target as Record<string | number, Json>)[key];
  switch (Math.floor(random() * 10)) {
    case 0: // wrong type
      set(
        key,
        pick<Json>(random, [null, true, 7, 'seven', [], {}, [current ?? null], { value: current ?? null }]),
      );
      break;
    case 1: // drop a key
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[key];
      break;
    case 2: // add a key, known or not
      set(random() < 0.5 ? pick(random, RUN_FIELD_NAMES) : pick(random, WEIRD_STRINGS), junk(random, 3));
      break;
    case 3: {
      // a huge list: past the combination limit, or long lists of junk
      const size = pick(random, [2, 50, 300, 20_000]);
      set(
        pick(random, ['h', 'random_seed', 'unique_ids', 'model', 'loss', 'max_steps']),
        Array.from({ length: size }, (_, i) => (random() < 0.9 ? i + 1 : junk(random, 1))),
      );
      break;
    }
    case 4: // unicode and NaN-like strings
      set(key, pick(random, WEIRD_STRINGS));
      break;
    case 5: // odd numbers
      set(key, pick(random, WEIRD_NUMBERS));
      break;
    case 6: // nested junk within the depth limit
      set(key, junk(random, 6));
      break;
    case 7: // nesting near and past the depth limit
      set(key, deep(pick(random, [20, 58, 70, 500, 3000]), random() < 0.5));
      break;
    case 8: // a value copied from elsewhere in the spec
      set(key, structuredClone(pick(random, Object.values(spec))) ?? null);
      break;
    default: // a list where one value is expected, or the reverse
      set(key, Array.isArray(current) ? (current[0] ?? null) : [current ?? null, current ?? null]);
  }
};

/** True when an error body names where the problem is: issues with paths, or a `field: …` message. */
const namesField = (body: { error?: { message?: unknown; issues?: { path?: unknown }[] } }): boolean => {
  const issues = body.error?.issues;
  if (issues !== undefined && issues.length > 0)
    return issues.every((issue) => typeof issue.path === 'string' && issue.path.length > 0);
  return typeof body.error?.message === 'string' && /^[\w.[\]$-]+: /.test(body.error.message);
};

describe('spec fuzz on pglite', () => {
  let db: TestDb;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    db = await openTestDb('pglite', { migrate: true });
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db, webRoot: false });
    ({ cookie } = await signIn(db, 'viewer'));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  test(`${SPECS} mutated specs: no 5xx, every 4xx names a field`, async () => {
    const random = generator(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < SPECS; i += 1) {
      const seed = pick(random, SEEDS);
      const spec = structuredClone(seed.spec);
      const mutations = 1 + Math.floor(random() * 4);
      for (let m = 0; m < mutations; m += 1) mutate(random, spec);
      // The envelope is fuzzed too, now and then: wrong kind, paging junk, an extra key.
      const envelope: Record<string, Json> = { spec };
      if (random() < 0.1) envelope[pick(random, ['kind', 'offset', 'limit', 'extra'])] = junk(random, 2);
      const requests = [
        [
          '/api/specs/validate',
          { kind: random() < 0.9 ? seed.kind : pick(random, ['job', null, 1]), ...envelope },
        ],
        ['/api/sweeps/plan', { ...envelope, ...(random() < 0.2 ? { limit: 3, offset: 1 } : {}) }],
      ] as const;
      for (const [url, body] of requests) {
        const response = await app.inject({
          method: 'POST',
          url,
          headers: { cookie, origin: SAME_ORIGIN, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const sample = `#${i} ${url} ${JSON.stringify(body).slice(0, 300)} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
        if (response.statusCode >= 500) failures.push(sample);
        else if (response.statusCode >= 400 && !namesField(response.json()))
          failures.push(`no field named: ${sample}`);
        else if (response.statusCode === 200 && url === '/api/sweeps/plan') {
          const plan = response.json();
          // Every combination is accounted for exactly once.
          if (plan.count + plan.invalidCount + plan.duplicatesRemoved !== plan.combinations)
            failures.push(`counts do not add up: ${sample}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The fuzz reached past validation too: some plans were answered, some refused.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(SPECS);
  }, 600_000);
});
