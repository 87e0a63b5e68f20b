import { cpus, hostname, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectSystemInfo } from '../../src/monitor/index.js';

describe('collectSystemInfo', () => {
  it('describes host, OS, CPU, memory and Node', async () => {
    const info = await collectSystemInfo();
    expect(info.host).toBe(hostname());
    expect(info.os.platform).toBe(process.platform);
    expect(info.os.arch).toBe(process.arch);
    expect(info.cpu.model.length).toBeGreaterThan(0);
    expect(info.cpu.cores).toBe(cpus().length);
    expect(info.cpu.physicalCores).toBeGreaterThanOrEqual(1);
    expect(info.cpu.physicalCores).toBeLessThanOrEqual(info.cpu.cores);
    // Unknown clocks (VMs report 0) are null, never 0.
    expect(info.cpu.speedGHz).not.toBe(0);
    expect(info.memoryBytes).toBe(totalmem());
    expect(info.node).toBe(process.version);
    expect(info.tfjs).toBeNull();
    expect(Array.isArray(info.gpus)).toBe(true);
    for (const gpu of info.gpus) expect(gpu.vramBytes).not.toBe(0);
    // The whole record goes into a jsonb column as it is.
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it('reads the SIMD flags on Linux x64 and records the caller’s TensorFlow.js', async () => {
    const info = await collectSystemInfo({ tfjs: { version: '4.22.0', backend: 'wasm' } });
    expect(info.tfjs).toEqual({ version: '4.22.0', backend: 'wasm' });
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(info.cpu.flags?.avx2).toBeTypeOf('boolean');
      expect(info.cpu.flags?.avx512).toBeTypeOf('boolean');
    }
  });
});
