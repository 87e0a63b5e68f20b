/** The machine a run ran on, as stored in the run row's system_info. */
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import si from 'systeminformation';
import { probeGpus, type GpuInfo } from './gpu.js';

/** Hardware and software of the machine, enough to tell whether two runs' timings are comparable. */
export interface SystemInfo {
  readonly host: string;
  readonly os: {
    readonly platform: string;
    /** Kernel release (`os.release()`). */
    readonly release: string;
    /** e.g. "Debian GNU/Linux 12"; absent where systeminformation cannot tell. */
    readonly distro?: string;
    readonly arch: string;
  };
  readonly cpu: {
    readonly model: string;
    /** Logical cores (hardware threads). */
    readonly cores: number;
    readonly physicalCores: number;
    /** Nominal clock; null where the machine does not report one (common in VMs). */
    readonly speedGHz: number | null;
    /** The SIMD extensions the native matrix path cares about; absent where the flags are unknown. */
    readonly flags?: { readonly avx2: boolean; readonly avx512: boolean };
  };
  readonly memoryBytes: number;
  /** `process.version`. */
  readonly node: string;
  /** TensorFlow.js version and active backend, as given by the caller (the engine owns them). */
  readonly tfjs: { readonly version: string; readonly backend: string } | null;
  /** Graphics controllers; empty when there are none. */
  readonly gpus: readonly GpuInfo[];
}

/** Set when a systeminformation call fails; node:os answers the essentials on its own. */
const orNull = <T>(promise: Promise<T>): Promise<T | null> => promise.catch(() => null);

const simdFlags = (flags: string): { avx2: boolean; avx512: boolean } | undefined => {
  if (flags.trim() === '') return undefined;
  const set = new Set(flags.split(/\s+/));
  // avx512f is the foundation every AVX-512 CPU has; the other avx512* flags are subsets on top.
  return { avx2: set.has('avx2'), avx512: set.has('avx512f') };
};

/** Collects {@link SystemInfo}; `extra.tfjs` is recorded as given. */
export const collectSystemInfo = async (extra?: {
  tfjs?: { version: string; backend: string };
}): Promise<SystemInfo> => {
  const [osData, cpuData, gpus] = await Promise.all([orNull(si.osInfo()), orNull(si.cpu()), probeGpus()]);
  const logical = cpus();
  const nodeSpeedMhz = logical[0]?.speed ?? 0;
  const speedGHz = cpuData?.speed || nodeSpeedMhz / 1000 || null;
  const distro = osData?.distro ? [osData.distro, osData.release].filter(Boolean).join(' ') : undefined;
  const flags = cpuData ? simdFlags(cpuData.flags) : undefined;
  return {
    host: hostname(),
    os: { platform: platform(), release: release(), ...(distro ? { distro } : {}), arch: arch() },
    cpu: {
      model: logical[0]?.model.trim() || [cpuData?.manufacturer, cpuData?.brand].filter(Boolean).join(' '),
      cores: logical.length,
      physicalCores: cpuData?.physicalCores || logical.length,
      speedGHz,
      ...(flags ? { flags } : {}),
    },
    memoryBytes: totalmem(),
    node: process.version,
    tfjs: extra?.tfjs ? { version: extra.tfjs.version, backend: extra.tfjs.backend } : null,
    gpus,
  };
};
