/**
 * Real daemons for tests (Debian's Prometheus, Pushgateway, …): started on a free local port,
 * awaited until their readiness URL answers, stopped with SIGTERM. Shared by the packages' tests so
 * each does not grow its own spawn-and-poll loop.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

/** A started daemon. */
export interface TestDaemon {
  /** What it wrote to stderr so far, for failure messages. */
  readonly log: () => string;
  /** Stops it with SIGTERM and waits for the exit; a no-op once it has exited. */
  readonly stop: () => Promise<void>;
}

export interface DaemonOptions {
  /** Polled until it answers 2xx. */
  readonly readyUrl: string;
  /** How long it may take to become ready; 15 s by default. */
  readonly timeoutMs?: number;
}

/** Spawns `binary args…` and resolves once `readyUrl` answers; rejects with its log when it exits or times out. */
export const startDaemon = async (
  binary: string,
  args: readonly string[],
  { readyUrl, timeoutMs = 15_000 }: DaemonOptions,
): Promise<TestDaemon> => {
  let log = '';
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const ready = (): Promise<boolean> =>
    fetch(readyUrl).then(
      (response) => response.ok,
      () => false,
    );
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${binary} did not become ready at ${readyUrl} (exit ${child.exitCode}):\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { log: () => log, stop };
};
