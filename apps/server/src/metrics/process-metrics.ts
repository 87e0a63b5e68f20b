/**
 * Metrics this server process counts or measures itself, beside the ones read from the database:
 * runs its reaper marked lost, and the space left on the filesystem holding the artifact folder
 * (saved models, reports; under `$NFLAB_HOME`, beside the embedded database's folder).
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Options of {@link createProcessMetrics}. */
export interface ProcessMetricsOptions {
  /** The artifact folder; while it does not exist yet, its nearest existing ancestor is measured. */
  readonly artifactRoot: string;
}

/** What the server tells {@link createProcessMetrics}'s metrics. */
export interface ProcessMetrics {
  /** Counts runs the server's reaper just marked lost. */
  readonly countReaped: (runs: number) => void;
}

interface Filesystem {
  readonly avail: number;
  readonly size: number;
}

/** The filesystem of `path`, or of its nearest existing ancestor; undefined when none can be read. */
const statfsNearest = async (path: string): Promise<Filesystem | undefined> => {
  for (let at = path; ; at = dirname(at)) {
    try {
      const fs = await statfs(at);
      // bavail, not bfree: blocks reserved for root are no room for the lab's unprivileged user.
      return { avail: fs.bavail * fs.bsize, size: fs.blocks * fs.bsize };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(at) === at) return undefined;
    }
  }
};

/** Registers the server's own counters and gauges in `registry`. */
export const createProcessMetrics = (registry: Registry, options: ProcessMetricsOptions): ProcessMetrics => {
  const registers = [registry];
  const reaped = new Counter({
    name: 'nflab_lost_worker_runs_total',
    help:
      'Runs this server’s reaper found running with a stale heartbeat (their worker was lost) and marked ' +
      'failed, requeued or cancelled. `nflab worker` processes reap too, so this counts the reaps this server made first.',
    registers,
  });
  // One statfs per gauge: prom-client collects a registry's metrics concurrently, so they cannot share one.
  const filesystemGauge = (name: string, help: string, pick: (fs: Filesystem) => number): void => {
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const fs = await statfsNearest(options.artifactRoot);
        if (fs === undefined) this.reset();
        else this.set(pick(fs));
      },
    });
  };
  filesystemGauge(
    'nflab_artifact_filesystem_avail_bytes',
    'Bytes available to the lab’s user on the filesystem holding the artifact folder.',
    (fs) => fs.avail,
  );
  filesystemGauge(
    'nflab_artifact_filesystem_size_bytes',
    'Size in bytes of the filesystem holding the artifact folder.',
    (fs) => fs.size,
  );
  return { countReaped: (runs) => reaped.inc(runs) };
};
