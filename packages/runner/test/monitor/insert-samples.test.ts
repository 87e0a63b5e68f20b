import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { insertResourceSamples, startResourceMonitor, type ResourceSample } from '../../src/monitor/index.js';

const known: ResourceSample = {
  at: new Date('2026-03-04T05:06:07.089Z'),
  cpuProcess: 12.5,
  cpuSystem: null,
  rssBytes: 123_456_789,
  heapBytes: 45_678_901,
  memUsedBytes: 8_000_000_000,
  memTotalBytes: 25_276_502_016,
  diskReadBytes: 0,
  diskWriteBytes: 4_194_304,
  netRxBytes: null,
  netTxBytes: 1_024,
  gpuUtil: null,
  vramUsedBytes: null,
  vramTotalBytes: null,
};

describe.each(await testDbKinds())('insertResourceSamples on %s', (kind) => {
  let db: TestDb;
  let runId: string;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    const { rows } = await db.query<{ id: string }>('INSERT INTO nf_model_runs DEFAULT VALUES RETURNING id');
    runId = rows[0]?.id ?? '';
  });
  afterAll(async () => {
    await db?.close();
  });

  it('writes every field of known samples to its column, nulls as NULL', async () => {
    const later = { ...known, at: new Date(known.at.getTime() + 1000), cpuSystem: 55.25, diskReadBytes: 512 };
    await insertResourceSamples(db, runId, [known, later]);
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT extract(epoch FROM at) * 1000 AS at_ms, cpu_process, cpu_system, rss_bytes::float8 AS rss,
              mem_total_bytes::float8 AS mem_total, disk_read_bytes::float8 AS disk_read,
              disk_write_bytes::float8 AS disk_write, net_rx_bytes, net_tx_bytes::float8 AS net_tx,
              gpu_util, vram_used_bytes, vram_total_bytes
       FROM nf_resource_samples WHERE run_id = $1 ORDER BY at`,
      [runId],
    );
    expect(rows.map((row) => ({ ...row, at_ms: Number(row.at_ms) }))).toEqual([
      {
        at_ms: known.at.getTime(),
        cpu_process: 12.5,
        cpu_system: null,
        rss: 123_456_789,
        mem_total: 25_276_502_016,
        disk_read: 0,
        disk_write: 4_194_304,
        net_rx_bytes: null,
        net_tx: 1_024,
        gpu_util: null,
        vram_used_bytes: null,
        vram_total_bytes: null,
      },
      {
        at_ms: later.at.getTime(),
        cpu_process: 12.5,
        cpu_system: 55.25,
        rss: 123_456_789,
        mem_total: 25_276_502_016,
        disk_read: 512,
        disk_write: 4_194_304,
        net_rx_bytes: null,
        net_tx: 1_024,
        gpu_util: null,
        vram_used_bytes: null,
        vram_total_bytes: null,
      },
    ]);
  });

  it('stores what a real monitor measured, and sends nothing for no samples', async () => {
    const { rows: created } = await db.query<{ id: string }>(
      'INSERT INTO nf_model_runs DEFAULT VALUES RETURNING id',
    );
    const otherRun = created[0]?.id ?? '';
    const samples: ResourceSample[] = [];
    const monitor = await startResourceMonitor({ intervalMs: 50, onSample: (s) => void samples.push(s) });
    const summary = await monitor.stop();
    expect(samples).toHaveLength(summary.samples);
    await insertResourceSamples(db, otherRun, samples);
    await insertResourceSamples(db, otherRun, []);
    const { rows } = await db.query<{ n: number; rss: number }>(
      'SELECT count(*)::int AS n, max(rss_bytes)::float8 AS rss FROM nf_resource_samples WHERE run_id = $1',
      [otherRun],
    );
    expect(rows[0]).toEqual({ n: samples.length, rss: Math.max(...samples.map((s) => s.rssBytes)) });
  });
});
