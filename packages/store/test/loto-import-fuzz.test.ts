/**
 * Seeded fuzz of the importer: mutated copies of the real LOTO6 file and of the small files of
 * every game. Each import must either reject (a lab error naming its lines, or the header) with
 * nothing stored, or store exactly what an independent reading of the file says, in draw order.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isLabError, Rng, type GameId } from '@nflab/contracts';
import { importFile, PRIZE_COLUMNS, RejectedRowsError } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { mutate } from './import-fuzz/mutate.js';
import { oracleRead, type OracleLine } from './import-fuzz/oracle.js';

const FILES = 240;
const SEED = 20261203;

const bytesOf = (path: string): string =>
  readFileSync(fileURLToPath(new URL(path, import.meta.url))).toString('latin1');
const SAMPLE = bytesOf('../../../data/samples/loto6_2000-2020.cp932.csv');
const FIXTURES: readonly [GameId, string][] = (
  ['loto7', 'miniloto', 'bingo5', 'numbers3', 'numbers4'] as const
).map((game) => [game, bytesOf(`./fixtures/${game}.csv`)]);

// A window of 5–30 consecutive draws of the real file under its header: real bytes, fast to import.
const sampleWindow = (rng: Rng): string => {
  const all = SAMPLE.split('\r\n');
  const size = 5 + rng.int(26);
  const start = 1 + rng.int(all.length - 2 - size);
  return [all[0], ...all.slice(start, start + size), ''].join('\r\n');
};

const COLUMNS = ['loto', 'num', 'ds', 'unique_id', 'y', 'co', ...PRIZE_COLUMNS];

let db: TestDb;
let dir: string;
beforeAll(async () => {
  db = await openTestDb('pglite');
  dir = await mkdtemp(join(tmpdir(), 'nflab-fuzz-'));
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const storedRows = async (table: string): Promise<string[][]> => {
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (exists.rows[0]?.t === null) return [];
  const { rows } = await db.query<Record<string, string | null>>(
    `SELECT ${COLUMNS.map((c) => `${c}::text AS ${c}`).join(', ')} FROM ${table} t ORDER BY t.num, t.unique_id COLLATE "C"`,
  );
  return rows.map((row) => COLUMNS.map((c) => row[c] ?? 'NULL'));
};

const text = (value: unknown): string => (value === null || value === undefined ? 'NULL' : String(value));

test(`the importer survives ${FILES} mutated files: rejects by line or stores exactly what the file says`, async () => {
  const rng = new Rng(SEED);
  const outcomes = { accepted: 0, rejected: 0, partly: 0 };
  for (let i = 0; i < FILES; i++) {
    const [game, source] = i % 3 === 0 ? pick(FIXTURES, rng) : (['loto6', sampleWindow(rng)] as const);
    const { file, applied } = mutate(source, rng);
    const bytes = Buffer.from(file, 'latin1');
    const path = join(dir, `f${i}.csv`);
    await writeFile(path, bytes);
    const table = `nf_loto_fz${i}`;
    const skipBadRows = rng.next() < 0.5;
    const context = `file ${i} (${game}; ${applied.join(', ')}; skipBadRows ${skipBadRows})`;
    const oracle = oracleRead(bytes, game);

    let report;
    try {
      report = await importFile(db, { file: path, game, table, skipBadRows });
    } catch (error) {
      // Only the lab's own rejections: a header that does not fit, an empty file, or lines named.
      expect(isLabError(error), `${context}: ${String((error as Error).stack)}`).toBe(true);
      if (error instanceof RejectedRowsError) {
        expect(error.rejected.length, context).toBeGreaterThan(0);
        for (const r of error.rejected) expect(r.line, context).toBeGreaterThanOrEqual(2);
        expect(error.message, context).toMatch(/line \d+: /);
      } else {
        expect((error as Error).message, context).toMatch(/^header does not fit|is empty: no header line/);
      }
      expect(await storedRows(table), context).toEqual([]);
      outcomes.rejected += 1;
      continue;
    }

    for (const r of report.rejected) {
      expect(r.line, context).toBeGreaterThanOrEqual(2);
      expect(r.line, context).toBeLessThanOrEqual(oracle.lineCount);
      expect(r.reason, context).not.toBe('');
    }
    if (report.rejected.length > 0) outcomes.partly += 1;
    else outcomes.accepted += 1;
    expect(oracle.lines, `${context}: stored a file whose header the oracle cannot read`).not.toBeNull();
    const rejected = new Set(report.rejected.map((r) => r.line));
    const kept = (oracle.lines ?? []).filter((l) => !rejected.has(l.line));
    for (const line of kept) {
      expect(
        'error' in line ? `line ${line.line}: ${line.error}` : '',
        `${context}: stored a line the oracle refuses`,
      ).toBe('');
    }
    const draws = kept as Extract<OracleLine, { rows: unknown[][] }>[];
    const expected = draws
      .flatMap((draw) => draw.rows.map((row) => row.map(text)))
      .sort((a, b) => Number(a[1]) - Number(b[1]) || (a[3]! < b[3]! ? -1 : a[3]! > b[3]! ? 1 : 0));
    expect(await storedRows(table), context).toEqual(expected);
    expect(report.draws, context).toBe(draws.length);
    const byNum = [...draws].sort((a, b) => a.num - b.num);
    byNum.forEach((draw, k) => {
      if (k > 0)
        expect(
          draw.ds > byNum[k - 1]!.ds,
          `${context}: draw ${draw.num} not after ${byNum[k - 1]!.num}`,
        ).toBe(true);
    });
  }
  // Each outcome must occur, or the mutations have stopped exercising one side.
  expect(outcomes.rejected).toBeGreaterThan(20);
  expect(outcomes.accepted + outcomes.partly).toBeGreaterThan(20);
  expect(outcomes.partly).toBeGreaterThan(5);
});

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[rng.int(items.length)] as T;
}
