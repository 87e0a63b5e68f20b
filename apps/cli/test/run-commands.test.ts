/**
 * The run commands in-process on an embedded database: a run, its model operations, a sweep whose
 * failing combination is recorded with its stack while the rest finish, cancel and status — the
 * way a user drives them, with exit codes and JSON output.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, createApiToken } from '@nflab/server';
import { openTestDb } from '@nflab/store/testing';
import { FakeWandb } from '../../../packages/runner/test/export/fake-wandb.js';
import { signIn } from '../../server/test/sign-in.js';
import { holdDbs, runCli } from './run-cli.js';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));

const TINY_MLP = {
  loto: 'loto6',
  unique_ids: ['N1'],
  model: 'mlp',
  config: { input_size: 6, hidden_size: 8, num_layers: 1, val_check_steps: 2 },
  h: 1,
  max_steps: 4,
  val_size: 2,
  test_size: 2,
};

describe('nflab run, model, sweep, cancel, runs', () => {
  let home: string;
  const dbs = holdDbs();
  const cli = (...args: string[]) => runCli(['--home', home, ...args], dbs);
  const specFile = async (name: string, spec: unknown): Promise<string> => {
    const file = path.join(home, name);
    await writeFile(file, JSON.stringify(spec));
    return file;
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'nflab-cli-runs-'));
    const imported = await cli('data', 'import', SAMPLE, '--game', 'loto6');
    expect(imported.exitCode).toBe(0);
  });
  afterAll(async () => {
    await dbs.release();
    await rm(home, { recursive: true, force: true });
  });

  it('runs one spec and prints its record; the saved model predicts as a linked run', async () => {
    const ran = await cli(
      '--json',
      'run',
      await specFile('run.json', { ...TINY_MLP, tags: { experiment: 'cli' } }),
      '--tag',
      'phase=smoke',
    );
    expect(ran.stderr).not.toContain('error');
    expect(ran.exitCode).toBe(0);
    const run = JSON.parse(ran.stdout) as { id: string; status: string; mae: number; baseline_mae: number };
    expect(run.status).toBe('finished');
    expect(run.mae).toBeGreaterThan(0);
    expect(run.baseline_mae).toBeGreaterThan(0);

    const predicted = await cli('--json', 'model', 'predict', run.id);
    expect(predicted.exitCode).toBe(0);
    expect(JSON.parse(predicted.stdout)).toMatchObject({ status: 'finished', operation: 'predict' });
    const listed = await cli('--json', 'runs', 'ls');
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(2);

    // Tags: from the spec and --tag, then edited on the finished run.
    const tagged = await cli('--json', 'runs', 'tag', run.id, 'note=a=b', '--remove', 'phase');
    expect(tagged.exitCode, tagged.stderr).toBe(0);
    expect(JSON.parse(tagged.stdout)).toEqual({ id: run.id, tags: { experiment: 'cli', note: 'a=b' } });
    expect((await cli('runs', 'tag', run.id)).stdout).toBe('experiment=cli\nnote=a=b\n');
    const byTag = async (tag: string) => JSON.parse((await cli('--json', 'runs', 'ls', '--tag', tag)).stdout);
    expect((await byTag('note=a=b')).map((row: { id: string }) => row.id)).toEqual([run.id]);
    expect(await byTag('note=other')).toEqual([]);
    const reserved = await cli('runs', 'tag', run.id, 'nflab.x=1');
    expect(reserved.exitCode).toBe(2);
    expect(reserved.stderr).toContain('tags.set.nflab.x');
    expect((await cli('runs', 'tag', run.id, 'novalue')).stderr).toContain('"novalue" is not key=value');
  });

  it('sends a run with a W&B sink to W&B before the command returns, when WANDB_API_KEY is set', async () => {
    const wandb = new FakeWandb();
    await wandb.start();
    process.env.WANDB_API_KEY = 'cli-key';
    process.env.WANDB_BASE_URL = wandb.url;
    try {
      const spec = {
        ...TINY_MLP,
        tracking: ['postgres', { sink: 'wandb', project: 'cli-lab', entity: 'me' }],
      };
      const ran = await cli('--json', 'run', await specFile('run-wandb.json', spec));
      expect(ran.exitCode).toBe(0);
      const run = JSON.parse(ran.stdout) as { id: string; status: string };
      expect(ran.stderr).toContain(
        `run ${run.id.slice(0, 8)} exported to wandb: ${wandb.url}/me/cli-lab/runs/${run.id}`,
      );
      const upsert = wandb.received.find((r) => r.path === '/graphql');
      expect((upsert?.body as { variables: { name: string } }).variables.name).toBe(run.id);
      const steps = wandb
        .streams()
        .flatMap(
          (body) =>
            (body.files as Record<string, { content: string[] }> | undefined)?.['wandb-history.jsonl']
              ?.content ?? [],
        );
      expect(steps.length).toBeGreaterThan(0);
      expect(wandb.streams().at(-1)).toEqual({ complete: true, exitcode: 0 });
    } finally {
      delete process.env.WANDB_API_KEY;
      delete process.env.WANDB_BASE_URL;
      await wandb.stop();
    }
  });

  it('sends a run with an mlflow sink, its saved model included, to MLFLOW_TRACKING_URI before the command returns', async () => {
    // The user's MLflow server is a second lab, listening on a port.
    const dbB = await openTestDb('pglite', { migrate: true });
    const rootB = await mkdtemp(path.join(tmpdir(), 'nflab-cli-mlflow-'));
    const labB = await buildServer({
      db: dbB,
      artifactRoot: rootB,
      exportIntervalMs: false,
      monitorIntervalMs: false,
    });
    await labB.listen({ host: '127.0.0.1', port: 0 });
    const { port } = labB.server.address() as AddressInfo;
    const { token } = await createApiToken(dbB, {
      userId: (await signIn(dbB, 'editor')).userId,
      name: 'cli',
    });
    process.env.MLFLOW_TRACKING_URI = `http://127.0.0.1:${port}`;
    process.env.MLFLOW_TRACKING_TOKEN = token;
    const getB = (url: string) => labB.inject({ url, headers: { authorization: `Bearer ${token}` } });
    try {
      const spec = { ...TINY_MLP, tracking: ['postgres', 'mlflow'] };
      const ran = await cli('--json', 'run', await specFile('run-mlflow.json', spec));
      expect(ran.exitCode).toBe(0);
      const run = JSON.parse(ran.stdout) as { id: string };
      const exported = new RegExp(
        `run ${run.id.slice(0, 8)} exported to mlflow: http://127\\.0\\.0\\.1:${port}/#/experiments/0/runs/([0-9a-f]{32})`,
      ).exec(ran.stderr);
      expect(exported, ran.stderr).not.toBeNull();
      const remoteId = exported![1]!;
      const remote = (await getB(`/api/2.0/mlflow/runs/get?run_id=${remoteId}`)).json() as {
        run: { info: { status: string }; data: { tags: { key: string; value: string }[] } };
      };
      expect(remote.run.info.status).toBe('FINISHED');
      expect(remote.run.data.tags).toContainEqual({ key: 'nflab.run_id', value: run.id });
      const losses = (
        await getB(`/api/2.0/mlflow/metrics/get-history?run_id=${remoteId}&metric_key=train_loss`)
      ).json() as { metrics: unknown[] };
      expect(losses.metrics).toHaveLength(TINY_MLP.max_steps);
      // The saved model's files, byte for byte.
      const modelDir = path.join(home, 'artifacts', run.id, 'model');
      const listed = (
        await getB(`/api/2.0/mlflow-artifacts/artifacts?path=0/${remoteId}/artifacts/model`)
      ).json() as { files: { path: string; is_dir: boolean }[] };
      const local = (await readdir(modelDir, { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name);
      expect(listed.files.filter((f) => !f.is_dir).map((f) => f.path)).toEqual(local.sort());
      for (const name of local) {
        const download = await getB(
          `/api/2.0/mlflow-artifacts/artifacts/0/${remoteId}/artifacts/model/${name}`,
        );
        expect(download.rawPayload.equals(await readFile(path.join(modelDir, name))), name).toBe(true);
      }
    } finally {
      delete process.env.MLFLOW_TRACKING_URI;
      delete process.env.MLFLOW_TRACKING_TOKEN;
      await labB.close();
      await dbB.close();
      await rm(rootB, { recursive: true, force: true });
    }
  });

  it('records a failing combination as failed with its stack while the sweep goes on', async () => {
    const sweep = {
      mode: 'list',
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'mlp',
      h: 1,
      max_steps: 4,
      runs: [
        { config: { input_size: 6, hidden_size: 8, num_layers: 1 } },
        // Adam's steps are ~learning_rate in size: weights leave float32's range in a step or two.
        { config: { input_size: 6, hidden_size: 8, num_layers: 1, learning_rate: 1e38 } },
      ],
    };
    const swept = await cli('--json', 'sweep', 'run', await specFile('sweep.json', sweep), '--parallel', '2');
    expect(swept.exitCode).toBe(1);
    // --json prints the sweep's report, then the error (one pretty-printed document each).
    const report = swept.stdout.slice(0, swept.stdout.indexOf('\n}\n') + 2);
    expect(JSON.parse(swept.stdout.slice(report.length))).toMatchObject({ error: { code: 'training' } });
    const { progress, runs } = JSON.parse(report) as {
      progress: { finished: number; failed: number };
      runs: { id: string; status: string; error_message: string | null }[];
    };
    expect(progress).toMatchObject({ finished: 1, failed: 1 });
    const failed = runs.find((r) => r.status === 'failed');
    expect(failed?.error_message).toMatch(/non-finite|NaN|Infinity/i);
    const shown = await cli('--json', 'runs', 'show', failed?.id as string);
    expect((JSON.parse(shown.stdout) as { traceback: string }).traceback).toMatch(/at .*\.ts/);
  });

  it('cancels a queued sweep; status shows it', async () => {
    const queued = await cli(
      '--json',
      'sweep',
      'run',
      await specFile('queued.json', { ...TINY_MLP, h: [1, 2] }),
      '--detach',
    );
    expect(queued.exitCode).toBe(0);
    const { sweepId } = JSON.parse(queued.stdout) as { sweepId: string };
    const cancelled = await cli('--json', 'cancel', sweepId);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ kind: 'sweep', cancelled: 2, requested: 0 });
    const status = await cli('--json', 'sweep', 'status', sweepId);
    expect(JSON.parse(status.stdout)).toMatchObject({ progress: { status: 'cancelled', cancelled: 2 } });
  });

  it('rejects an invalid spec with the field named and exit status 2', async () => {
    const bad = await cli('run', await specFile('bad.json', { ...TINY_MLP, h: 0 }));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/h/);
  });
});
