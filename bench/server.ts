/**
 * The lab server's two targets from issue 6, on PGlite and (when reachable) the PostgreSQL server:
 * - server time of the first history page (`GET /api/runs`, 50 rows, total counted) with 100,000
 *   runs in the database, default sort, filtered by status, and sorted by a metric (target < 200 ms);
 * - live-event delay: from a step loss committed to nf_step_metrics to its event parsed by an SSE
 *   client over real HTTP (target < 500 ms);
 * and issue 11's: `/api/health` p99 over real HTTP while four maximal plan requests (the default
 * combination limit, 10,000 each, checked against the loto6 sample) run at once (target < 100 ms);
 * and the sign-in throttle: wrong passwords for one username sent back to back for a minute of
 * wall time, counting how many the server checked (401) rather than refused unchecked (429)
 * (target ≤ 10 per minute, at the default settings).
 * `npx tsx bench/server.ts [--runs N] [--events N] [--plans N] [--throttle-seconds S]` prints ONE JSON object.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, createApiToken, createUser } from '../apps/server/src/index.js';
import { DEFAULT_MAX_COMBINATIONS } from '../packages/contracts/src/index.js';
import { importFile, migrate, openPglite, openPostgres, type Db } from '../packages/store/src/index.js';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = flag('runs', 100_000);
const EVENTS = flag('events', 30);
const PLANS = flag('plans', 4);
const LOTO6 = new URL('../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const THROTTLE_SECONDS = flag('throttle-seconds', 60);
const PG_ADMIN_URL = process.env.NFLAB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (message: string): void => void console.error(`[server bench] ${message}`);
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const quantile = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] as number;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database of each kind: PGlite in a temp folder, and a new database on the server when one answers. */
const databases = async (): Promise<{ kind: string; db: Db; url?: string; drop?: () => Promise<void> }[]> => {
  const out: { kind: string; db: Db; url?: string; drop?: () => Promise<void> }[] = [
    { kind: 'pglite', db: await openPglite(await mkdtemp(path.join(tmpdir(), 'nflab-bench-server-'))) },
  ];
  try {
    const admin = await openPostgres({ url: PG_ADMIN_URL, maxConnections: 1 });
    const name = `nflab_bench_server_${process.pid}`;
    await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    await admin.exec(`CREATE DATABASE ${name}`);
    const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    out.push({
      kind: 'postgres',
      db: await openPostgres({ url }),
      url,
      drop: async () => {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      },
    });
  } catch (error) {
    log(`no PostgreSQL server (${(error as Error).message}); PGlite only`);
  }
  return out;
};

const seed = (db: Db): Promise<unknown> =>
  db.query(
    `INSERT INTO nf_model_runs (model_name, backend, loto, unique_ids, horizon, loss, status, metrics, created_at)
     SELECT (ARRAY['auto_nhits','auto_nbeats','mlp'])[1 + i % 3], (ARRAY['optuna','ray'])[1 + i % 2], 'loto6',
            ARRAY['N' || (1 + i % 7)], 1 + i % 4, 'mae',
            (ARRAY['finished','failed','queued','running','cancelled'])[1 + i % 5],
            jsonb_build_object('cv', jsonb_build_object('overall', jsonb_build_object('mae', (i % 1000) / 100.0))),
            now() - make_interval(secs => i)
       FROM generate_series(1, ${RUNS}) i`,
  );

/** Reads SSE frames from `url` and calls `onEvent` with each event's arrival time. */
const listen = async (url: string, token: string, onEvent: (event: string, at: number) => void) => {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`SSE answered ${response.status}`);
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = block.split('\n').find((line) => line.startsWith('event: '));
          if (event) onEvent(event.slice(7), performance.now());
        }
      }
    } catch {
      // closed
    }
  })();
  return () => controller.abort();
};

/**
 * `/api/health` round trips over real HTTP, every 10 ms, while PLANS plan requests of exactly the
 * default limit run at once: AutoNHITS on N1 × random_seed 1000 × h 10, every combination valid,
 * so each is parsed, fingerprinted and checked against the registries and the data.
 */
const healthUnderPlans = async (address: string, token: string) => {
  const seeds = Array.from({ length: DEFAULT_MAX_COMBINATIONS / 10 }, (_, i) => i);
  const spec = {
    loto: 'loto6',
    unique_ids: ['N1'],
    model: 'auto_nhits',
    num_samples: 1,
    max_steps: 10,
    config: { val_check_steps: 5 },
    random_seed: seeds,
    h: Array.from({ length: 10 }, (_, i) => i + 1),
  };
  const body = JSON.stringify({ spec });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let planning = true;
  const plans = Promise.all(
    Array.from({ length: PLANS }, async () => {
      const started = performance.now();
      const response = await fetch(`${address}/api/sweeps/plan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`plan answered ${response.status}: ${text.slice(0, 200)}`);
      const plan = JSON.parse(text) as { count: number; combinations: number };
      if (plan.count !== DEFAULT_MAX_COMBINATIONS) throw new Error(`plan counted ${plan.count} valid runs`);
      return { ms: performance.now() - started, bytes: text.length };
    }),
  ).finally(() => {
    planning = false;
  });
  const latencies: number[] = [];
  while (planning) {
    const started = performance.now();
    const response = await fetch(`${address}/api/health`);
    await response.text();
    latencies.push(performance.now() - started);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    await sleep(10);
  }
  const done = await plans;
  return {
    plans: PLANS,
    combinations_each: DEFAULT_MAX_COMBINATIONS,
    request_bytes: body.length,
    plan_ms_max: Math.max(...done.map((plan) => plan.ms)),
    response_bytes_max: Math.max(...done.map((plan) => plan.bytes)),
    health_samples: latencies.length,
    health_p50_ms: median(latencies),
    health_p99_ms: quantile(latencies, 0.99),
    health_max_ms: Math.max(...latencies),
    rss_growth_mb: Math.round((rssPeak - rssBefore) / 2 ** 20),
  };
};

/** Wrong passwords for one username for `seconds`: how many were checked, per minute. */
const loginThrottle = async (seconds: number) => {
  const db = await openPglite(await mkdtemp(path.join(tmpdir(), 'nflab-bench-throttle-')));
  await migrate(db);
  await createUser(db, { username: 'target', password: 'the-right-password', role: 'viewer' });
  const app = await buildServer({ db, webRoot: false });
  const counts = { checked: 0, refused: 0 };
  let retryAfter = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'target', password: `guess-${counts.checked + counts.refused}` },
    });
    if (response.statusCode === 401) counts.checked += 1;
    else if (response.statusCode === 429) {
      counts.refused += 1;
      retryAfter = Math.max(retryAfter, Number(response.headers['retry-after']));
    } else throw new Error(`login answered ${response.statusCode}`);
  }
  await app.close();
  await db.close();
  const result = {
    seconds,
    attempts: counts.checked + counts.refused,
    checked: counts.checked,
    refused_429: counts.refused,
    checked_per_minute: (counts.checked * 60) / seconds,
    longest_retry_after_s: retryAfter,
  };
  log(`login throttle ${JSON.stringify(result)}`);
  return result;
};

const results = [];
for (const { kind, db, url, drop } of await databases()) {
  await migrate(db);
  const started = performance.now();
  await seed(db);
  await db.query('ANALYZE nf_model_runs');
  log(`${kind}: ${RUNS} runs seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const user = await createUser(db, { username: 'bench', password: 'bench-password', role: 'viewer' });
  const { token } = await createApiToken(db, { userId: user.id, name: 'bench' });
  const app = await buildServer({ db, webRoot: false, ...(url ? { databaseUrl: url } : {}) });
  const headers = { authorization: `Bearer ${token}` };
  const pageMs = async (route: string): Promise<number> => {
    await app.inject({ url: route, headers });
    const times: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const t = performance.now();
      const response = await app.inject({ url: route, headers });
      times.push(performance.now() - t);
      if (response.statusCode !== 200) throw new Error(`${route} answered ${response.statusCode}`);
    }
    return median(times);
  };
  const history = {
    default_sort_ms: await pageMs('/api/runs'),
    status_filter_ms: await pageMs('/api/runs?status=finished'),
    metric_sort_ms: await pageMs('/api/runs?sort=metric&order=asc&metric=mae'),
  };
  log(`${kind}: history first page ${JSON.stringify(history)}`);

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const run = await db.query<{ id: string }>('SELECT id FROM nf_model_runs LIMIT 1');
  const runId = run.rows[0]?.id as string;
  const arrivals: number[] = [];
  const stop = await listen(`${address}/api/events?run_id=${runId}`, token, (event, at) => {
    if (event === 'step') arrivals.push(at);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const delays: number[] = [];
  for (let step = 0; step < EVENTS; step += 1) {
    const before = arrivals.length;
    const committed = performance.now();
    await db.query('INSERT INTO nf_step_metrics (run_id, step, train_loss) VALUES ($1, $2, $3)', [
      runId,
      step,
      1 / (step + 1),
    ]);
    const deadline = committed + 5000;
    while (arrivals.length === before && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 1));
    if (arrivals.length === before) throw new Error(`${kind}: step ${step} never arrived`);
    delays.push((arrivals[before] as number) - committed);
    await new Promise((resolve) => setTimeout(resolve, 37));
  }
  stop();
  await importFile(db, { file: LOTO6, game: 'loto6' });
  const health = await healthUnderPlans(address, token);
  log(`${kind}: /api/health under ${PLANS} maximal plans ${JSON.stringify(health)}`);
  await app.close();
  await db.close();
  await drop?.();
  const live = {
    events: EVENTS,
    median_ms: median(delays),
    max_ms: Math.max(...delays),
    notify: url !== undefined,
  };
  log(`${kind}: live events ${JSON.stringify(live)}`);
  results.push({
    database: kind,
    runs: RUNS,
    history_first_page: history,
    live_event_delay: live,
    health_under_plans: health,
  });
}
const throttle = await loginThrottle(THROTTLE_SECONDS);
console.log(
  JSON.stringify({
    targets: {
      history_first_page_ms: 200,
      live_event_delay_ms: 500,
      health_p99_under_plans_ms: 100,
      login_checked_per_minute: 10,
    },
    results,
    login_throttle: throttle,
  }),
);
