import { describe, expect, it } from 'vitest';
import { SAMPLED_SERIES, summarize, type ResourceSample } from '../../src/monitor/index.js';

const sample = (overrides: Partial<ResourceSample>): ResourceSample => ({
  at: new Date('2026-01-01T00:00:00Z'),
  cpuProcess: 0,
  cpuSystem: null,
  rssBytes: 0,
  heapBytes: 0,
  memUsedBytes: 0,
  memTotalBytes: 100,
  diskReadBytes: null,
  diskWriteBytes: null,
  netRxBytes: null,
  netTxBytes: null,
  gpuUtil: null,
  vramUsedBytes: null,
  vramTotalBytes: null,
  ...overrides,
});

describe('summarize', () => {
  it('gives the peak and the mean of every series over its non-null values', () => {
    const stats = summarize([
      sample({ cpuProcess: 10, cpuSystem: null, rssBytes: 300, diskWriteBytes: 0 }),
      sample({ cpuProcess: 40, cpuSystem: 20, rssBytes: 100, diskWriteBytes: 50 }),
      sample({ cpuProcess: 25, cpuSystem: 60, rssBytes: 200, diskWriteBytes: 200 }),
    ]);
    expect(stats.cpuProcess).toEqual({ peak: 40, mean: 25 });
    // The null of the first sample is left out of the mean, not counted as 0.
    expect(stats.cpuSystem).toEqual({ peak: 60, mean: 40 });
    expect(stats.rssBytes).toEqual({ peak: 300, mean: 200 });
    expect(stats.diskWriteBytes).toEqual({ peak: 200, mean: 250 / 3 });
    expect(stats.memTotalBytes).toEqual({ peak: 100, mean: 100 });
    expect(stats.gpuUtil).toEqual({ peak: null, mean: null });
  });

  it('reports every numeric field and nothing else', () => {
    const stats = summarize([sample({})]);
    expect(Object.keys(stats).sort()).toEqual([...SAMPLED_SERIES].sort());
    expect(SAMPLED_SERIES).toHaveLength(Object.keys(sample({})).length - 1);
  });

  it('has null stats everywhere for no samples', () => {
    const stats = summarize([]);
    for (const series of SAMPLED_SERIES) expect(stats[series]).toEqual({ peak: null, mean: null });
  });
});
