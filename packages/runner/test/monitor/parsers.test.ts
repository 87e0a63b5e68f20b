import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineGpuLines, hasNvidiaGpu, parseNvidiaSmiLine } from '../../src/monitor/gpu.js';
import {
  openCpuTimes,
  openNetCounters,
  openProcessIo,
  openProcReader,
  parseNetDev,
  parseProcIo,
  parseProcStat,
} from '../../src/monitor/proc-files.js';

describe('/proc parsers', () => {
  it('takes read_bytes/write_bytes from /proc/self/io, not rchar/wchar', () => {
    const text =
      'rchar: 900\nwchar: 800\nsyscr: 3\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';
    expect(parseProcIo(text)).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(parseProcIo('rchar: 900\nwchar: 800\n')).toBeNull();
  });

  it('sums user..steal of the cpu line and counts idle and iowait as not busy', () => {
    const text = 'cpu  100 5 50 800 20 3 2 10 7 0\ncpu0 50 2 25 400 10 1 1 5 3 0\nintr 12345 0 1\n';
    // total = 100+5+50+800+20+3+2+10 (guest 7 is already inside user); busy = total - 800 - 20
    expect(parseProcStat(text)).toEqual({ busy: 170, total: 990 });
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
  });

  it('sums non-loopback interfaces of /proc/net/dev', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:   44237     622    0    0    0     0          0         0    44237     622    0    0    0     0       0          0',
      '  eth0: 1000 10 0 0 0 0 0 0 300 3 0 0 0 0 0 0',
      '  eth1:   20  1 0 0 0 0 0 0  40 1 0 0 0 0 0 0',
    ].join('\n');
    expect(parseNetDev(text)).toEqual({ rxBytes: 1020, txBytes: 340 });
    expect(parseNetDev('Inter-|\n face |\n')).toBeNull();
  });
});

describe.runIf(process.platform === 'linux')('/proc readers held open', () => {
  it('re-read fresh values from the same descriptor and return null once closed', () => {
    for (const open of [openProcessIo, openCpuTimes, openNetCounters]) {
      const file = open();
      expect(file.read()).not.toBeNull();
      expect(file.read()).not.toBeNull();
      file.close();
      expect(file.read()).toBeNull();
    }
    const stat = openCpuTimes();
    const first = stat.read();
    // Busy-wait until the kernel's tick counters move, proving the second read is regenerated.
    let second = stat.read();
    const until = Date.now() + 2000;
    while (second?.total === first?.total && Date.now() < until) second = stat.read();
    stat.close();
    expect(second?.total).toBeGreaterThan(first?.total ?? Infinity);
  });

  it('reads files longer than its first buffer whole, and null where the file cannot be opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nflab-proc-'));
    try {
      const path = join(dir, 'long.txt');
      const text = 'x'.repeat(10_000) + 'end';
      writeFileSync(path, text);
      const file = openProcReader(path, (read) => read);
      expect(file.read()).toBe(text);
      expect(file.read()).toBe(text);
      file.close();
      expect(openProcReader(join(dir, 'missing'), (read) => read).read()).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nvidia-smi parsing', () => {
  it('reads index, utilization and MiB as bytes, with [N/A] as null', () => {
    expect(parseNvidiaSmiLine('0, 87, 1024, 16384')).toEqual({
      index: 0,
      util: 87,
      usedBytes: 1024 * 1024 * 1024,
      totalBytes: 16384 * 1024 * 1024,
    });
    expect(parseNvidiaSmiLine('1, [N/A], 10, 20')?.util).toBeNull();
    expect(parseNvidiaSmiLine('NVIDIA-SMI has failed')).toBeNull();
    expect(parseNvidiaSmiLine('')).toBeNull();
  });

  it('averages utilization and sums memory over GPUs', () => {
    expect(
      combineGpuLines([
        { index: 0, util: 80, usedBytes: 100, totalBytes: 1000 },
        { index: 1, util: 20, usedBytes: 50, totalBytes: 1000 },
        { index: 2, util: null, usedBytes: null, totalBytes: null },
      ]),
    ).toEqual({ gpuUtil: 50, vramUsedBytes: 150, vramTotalBytes: 2000 });
    expect(combineGpuLines([{ index: 0, util: null, usedBytes: null, totalBytes: null }])).toEqual({
      gpuUtil: null,
      vramUsedBytes: null,
      vramTotalBytes: null,
    });
  });

  it('recognizes NVIDIA controllers only', () => {
    const gpu = { model: 'x', driver: null, vramBytes: null };
    expect(hasNvidiaGpu([{ ...gpu, vendor: 'NVIDIA Corporation' }])).toBe(true);
    expect(hasNvidiaGpu([{ ...gpu, vendor: 'Cirrus Logic' }])).toBe(false);
    expect(hasNvidiaGpu([])).toBe(false);
  });
});
