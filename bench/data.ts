/**
 * Data-path throughput: importing the real LOTO6 results file (rows/s) and loading the whole
 * loto6 panel (10,486 rows, every column) warm, on PGlite and on the PostgreSQL server.
 * `npx tsx bench/data.ts [--quick]` — prints ONE JSON object on stdout; progress goes to stderr.
 * The server is the one the tests use (NFLAB_TEST_PG_URL); a throwaway database is made and dropped.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DbKind, Queryable } from '../packages/store/src/db.js';
import { importFile } from '../packages/store/src/loto/writer.js';
import { loadPanel } from '../packages/store/src/panel/load-panel.js';
import { panelQuery } from '../packages/store/src/panel/panel-query.js';
import { requireDataTable } from '../packages/store/src/sql/data-tables.js';
import { quoteRelation } from '../packages/store/src/sql/identifiers.js';
import { openTestDb, testDbKinds } from '../packages/store/src/testing.js';

const SAMPLE = fileURLToPath(new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));
const quick = process.argv.includes('--quick');
const IMPORT_REPEATS = quick ? 2 : 5;
const PANEL_WARMUP = 5;
// The brief's floor: a median and a p95 need at least 30 samples to mean anything.
const PANEL_RUNS = quick ? 30 : 60;

/** Panel-load targets (ms, warm median) this bench checks. */
const TARGET_MS: Record<DbKind, number> = { postgres: 13, pglite: 40 };

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

// The server's own time for the panel statement as a warm load runs it (guarded by the catalog
// check, see packages/store/src/panel/catalog-guard.ts): EXPLAIN ANALYZE, no per-node timing, median of 15.
const serverExecutionMs = async (db: Queryable): Promise<number> => {
  const info = await requireDataTable(db, 'nf_loto_final');
  const ds = info.columns.find((c) => c.name === 'ds');
  if (ds === undefined) throw new Error('nf_loto_final has no ds column');
  const columns = info.columns
    .filter((c) => !['loto', 'unique_id', 'ds'].includes(c.name))
    .map((column) => ({ column, encoding: 'number' as const }));
  const { sql, params } = panelQuery({
    from: quoteRelation(info),
    ds,
    columns,
    loto: 'loto6',
    guardedBy: info,
  });
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, TIMING OFF) ${sql}`, params);
    const match = /Execution Time: ([\d.]+) ms/.exec(rows.at(-1)?.['QUERY PLAN'] ?? '');
    if (match !== null) times.push(Number(match[1]));
  }
  return quantile(
    times.sort((a, b) => a - b),
    0.5,
  );
};

const benchKind = async (kind: DbKind): Promise<Record<string, unknown>> => {
  const db = await openTestDb(kind);
  try {
    // Import: each repeat writes a fresh table, so every run inserts all rows in one transaction.
    const importMs: number[] = [];
    let rows = 0;
    for (let i = 0; i < IMPORT_REPEATS; i++) {
      const table = i === 0 ? 'nf_loto_final' : `nf_loto_bench_${i}`;
      const started = performance.now();
      const report = await importFile(db, { file: SAMPLE, game: 'loto6', table });
      importMs.push(performance.now() - started);
      rows = report.rowsAdded;
      log(
        `${kind}: import ${i + 1}/${IMPORT_REPEATS} ${report.rowsAdded} rows in ${importMs.at(-1)?.toFixed(0)} ms`,
      );
    }
    const started = performance.now();
    const again = await importFile(db, { file: SAMPLE, game: 'loto6' });
    const reimportMs = performance.now() - started;
    importMs.sort((a, b) => a - b);
    const importMedian = quantile(importMs, 0.5);

    const load = () => loadPanel(db, { table: 'nf_loto_final', loto: 'loto6' });
    for (let i = 0; i < PANEL_WARMUP; i++) await load();
    const panelMs: number[] = [];
    const cpuMs: number[] = [];
    let panelRows = 0;
    let columns = 0;
    for (let i = 0; i < PANEL_RUNS; i++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const panel = await load();
      panelMs.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      panelRows = panel.y.length;
      columns =
        3 + Object.keys(panel.other).length + Object.keys(panel.hist).length + Object.keys(panel.futr).length;
    }
    panelMs.sort((a, b) => a - b);
    cpuMs.sort((a, b) => a - b);
    const median = quantile(panelMs, 0.5);
    const serverMs = kind === 'postgres' ? await serverExecutionMs(db) : undefined;
    log(`${kind}: panel median ${median.toFixed(2)} ms, p95 ${quantile(panelMs, 0.95).toFixed(2)} ms`);
    return {
      import: {
        rows,
        repeats: IMPORT_REPEATS,
        median_ms: round(importMedian, 1),
        rows_per_s: Math.round(rows / (importMedian / 1000)),
        reimport_ms: round(reimportMs, 1),
        reimport_rows_skipped: again.rowsSkipped,
      },
      panel: {
        rows: panelRows,
        columns,
        runs: PANEL_RUNS,
        median_ms: round(median),
        p95_ms: round(quantile(panelMs, 0.95)),
        min_ms: round(panelMs[0] ?? Number.NaN),
        // CPU this process spent per load (on PGlite that includes the database itself): what the
        // wall time approaches on an idle machine, when other processes compete for the cores.
        process_cpu_ms_median: round(quantile(cpuMs, 0.5)),
        ...(serverMs === undefined ? {} : { server_execution_ms_median: round(serverMs) }),
        target_ms: TARGET_MS[kind],
        meets_target: median <= TARGET_MS[kind],
      },
    };
  } finally {
    await db.close();
  }
};

const kinds = await testDbKinds();
const results: Record<string, unknown> = {
  file: 'data/samples/loto6_2000-2020.cp932.csv',
  load_average_before: loadavg().map((v) => round(v)),
};
for (const kind of ['pglite', 'postgres'] as const) {
  results[kind] = kinds.includes(kind) ? await benchKind(kind) : { skipped: 'server not reachable' };
}
results.load_average_after = loadavg().map((v) => round(v));
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
