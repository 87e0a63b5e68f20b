/**
 * A real Pushgateway for tests (Debian's `prometheus-pushgateway`, which `npm test` installs) on a
 * free local port, in memory (no persistence file), and its exposition read back as samples.
 */
import { existsSync } from 'node:fs';
import { freePort, startDaemon } from '../../../../test-support/daemon.js';

/** The Pushgateway binary of Debian's package. */
export const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';

/** True when the binary is installed. */
export const pushgatewayInstalled = (): boolean => existsSync(PUSHGATEWAY);

/** One sample line of the exposition: name, labels, value. */
export interface PushedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A running Pushgateway. */
export interface TestPushgateway {
  readonly url: string;
  /** Every `nflab_*` sample it serves now. */
  readonly samples: () => Promise<PushedSample[]>;
  readonly stop: () => Promise<void>;
}

const SAMPLE = /^(nflab_\w+)(?:\{(.*)\})? (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

const parse = (text: string): PushedSample[] =>
  text.split('\n').flatMap((line) => {
    const match = SAMPLE.exec(line);
    if (match === null) return [];
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL)) labels[name as string] = value as string;
    return [{ name: match[1] as string, labels, value: Number(match[3]) }];
  });

/** Starts a Pushgateway and waits until it is ready. */
export const startPushgateway = async (): Promise<TestPushgateway> => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon = await startDaemon(
    PUSHGATEWAY,
    // Debian's build persists to /var/lib/prometheus/pushgateway.data unless told otherwise, which
    // would carry groups from one test run into the next.
    [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'],
    { readyUrl: `${url}/-/ready` },
  );
  return {
    url,
    samples: async () => parse(await (await fetch(`${url}/metrics`)).text()),
    stop: daemon.stop,
  };
};
