/**
 * The MLflow sink's pure parts: log-batch splitting within MLflow's limits, keys MLflow accepts,
 * the artifact proxy path of a run, the MLflow settings read from the environment, and the
 * authorization header each setting sends. The round trip against a lab server is
 * apps/server/test/mlflow-export.test.ts.
 */
import { expect, test } from 'vitest';
import { MLFLOW_LIMITS } from '@nflab/store';
import {
  exportCredentialsFrom,
  MlflowApi,
  mlflowBatches,
  mlflowKey,
  mlflowRunUrl,
  proxiedArtifactPath,
} from '../../src/index.js';

const kv = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));
const points = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: 'loss', value: i, timestamp: 1000 + i, step: i }));

test('batches stay within 100 params, 100 tags, 1000 metrics and 1000 entries, and keep every entry in order', () => {
  const data = { params: kv(250, 'p'), tags: kv(120, 't'), metrics: points(2500) };
  const batches = mlflowBatches(data);
  for (const batch of batches) {
    expect(batch.params.length).toBeLessThanOrEqual(MLFLOW_LIMITS.params);
    expect(batch.tags.length).toBeLessThanOrEqual(MLFLOW_LIMITS.tags);
    expect(batch.metrics.length).toBeLessThanOrEqual(MLFLOW_LIMITS.metrics);
    expect(batch.params.length + batch.tags.length + batch.metrics.length).toBeLessThanOrEqual(
      MLFLOW_LIMITS.total,
    );
  }
  expect(batches.flatMap((b) => b.params)).toEqual(data.params);
  expect(batches.flatMap((b) => b.tags)).toEqual(data.tags);
  expect(batches.flatMap((b) => b.metrics)).toEqual(data.metrics);
  // Params and tags go first; metrics fill the room each request has left.
  expect(batches.map((b) => [b.params.length, b.tags.length, b.metrics.length])).toEqual([
    [100, 100, 800],
    [100, 20, 880],
    [50, 0, 820],
  ]);
  expect(mlflowBatches({ params: [], tags: [], metrics: [] })).toEqual([]);
});

test('keys become ones MLflow accepts: safe characters, no "..", not absolute, at most 250 characters', () => {
  expect(mlflowKey('cv.overall.mae')).toBe('cv.overall.mae');
  expect(mlflowKey('spec.config.stack_types')).toBe('spec.config.stack_types');
  expect(mlflowKey('best.lr@stage#1')).toBe('best.lr_stage_1');
  expect(mlflowKey('a..b')).toBe('a.b');
  expect(mlflowKey('/abs/key')).toBe('abs/key');
  expect(mlflowKey('k'.repeat(300))).toHaveLength(250);
  expect(mlflowKey('')).toBe('_');
});

test("a run's artifacts are uploaded under its mlflow-artifacts URI without scheme and host", () => {
  expect(proxiedArtifactPath('mlflow-artifacts:/3/abc/artifacts')).toBe('3/abc/artifacts');
  expect(proxiedArtifactPath('mlflow-artifacts://mlflow.internal:5000/3/abc/artifacts/')).toBe(
    '3/abc/artifacts',
  );
  expect(proxiedArtifactPath('s3://bucket/3/abc/artifacts')).toBeUndefined();
  expect(proxiedArtifactPath('/mnt/mlruns/3/abc/artifacts')).toBeUndefined();
  expect(mlflowRunUrl('http://mlflow:5000/', '3', 'abc')).toBe('http://mlflow:5000/#/experiments/3/runs/abc');
});

test('MLFLOW_TRACKING_URI configures the sink only for an HTTP server, with a token or username/password', () => {
  expect(exportCredentialsFrom({})).toEqual({});
  expect(exportCredentialsFrom({ MLFLOW_TRACKING_URI: 'file:./mlruns' })).toEqual({});
  expect(exportCredentialsFrom({ MLFLOW_TRACKING_URI: 'databricks' })).toEqual({});
  expect(
    exportCredentialsFrom({ MLFLOW_TRACKING_URI: ' http://mlflow:5000 ', MLFLOW_TRACKING_TOKEN: 'tok' }),
  ).toEqual({ mlflow: { trackingUri: 'http://mlflow:5000', token: 'tok' } });
  expect(
    exportCredentialsFrom({
      MLFLOW_TRACKING_URI: 'https://mlflow.example.org',
      MLFLOW_TRACKING_USERNAME: 'ana',
      MLFLOW_TRACKING_PASSWORD: 's3cret',
      WANDB_API_KEY: 'k',
    }),
  ).toEqual({
    mlflow: { trackingUri: 'https://mlflow.example.org', username: 'ana', password: 's3cret' },
    wandb: { apiKey: 'k', baseUrl: 'https://api.wandb.ai' },
  });
});

test('a token is sent as a bearer, a username and password as HTTP basic', async () => {
  const seen: (string | null)[] = [];
  const recording: typeof fetch = async (_input, init) => {
    seen.push(new Headers(init?.headers).get('authorization'));
    return new Response(JSON.stringify({ run: { info: { run_id: 'r', experiment_id: '0' } } }), {
      status: 200,
    });
  };
  const base = { trackingUri: 'http://mlflow:5000', timeoutMs: 1000, fetch: recording };
  await new MlflowApi({ ...base, token: 'tok' }).getRun('r');
  await new MlflowApi({ ...base, username: 'ana', password: 's3cret' }).getRun('r');
  await new MlflowApi(base).getRun('r');
  expect(seen).toEqual(['Bearer tok', `Basic ${Buffer.from('ana:s3cret').toString('base64')}`, null]);
});
