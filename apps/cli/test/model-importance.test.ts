/**
 * `nflab model importance`: a tiny model trained with futr calendar columns on the LOTO6 sample,
 * then its columns ranked as a linked run — JSON with every row, a table for people, and bad
 * options refused with exit status 2 naming the field.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdDbs, runCli } from './run-cli.js';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));

const RUN = {
  table_name: 'nf_loto_final_features',
  loto: 'loto6',
  unique_ids: ['N1'],
  model: 'mlp',
  config: { input_size: 4, hidden_size: 8, num_layers: 1 },
  h: 1,
  max_steps: 3,
  exogenous: { mode: 'explicit', futr_exog_list: ['futr_weekday', 'futr_is_holiday'] },
};

describe('nflab model importance', () => {
  let home: string;
  let parent: string;
  const dbs = holdDbs();
  const cli = (...args: string[]) => runCli(['--home', home, ...args], dbs);

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'nflab-cli-importance-'));
    expect((await cli('data', 'import', SAMPLE, '--game', 'loto6')).exitCode).toBe(0);
    expect((await cli('data', 'features', '--table', 'nf_loto_final')).exitCode).toBe(0);
    const spec = path.join(home, 'run.json');
    await writeFile(spec, JSON.stringify(RUN));
    const ran = await cli('--json', 'run', spec);
    expect(ran.exitCode, ran.stderr).toBe(0);
    parent = (JSON.parse(ran.stdout) as { id: string }).id;
  });
  afterAll(async () => {
    await dbs.release();
    await rm(home, { recursive: true, force: true });
  });

  it('ranks the columns as a linked run: every row in JSON, the all-series ranking as a table', async () => {
    const done = await cli(
      '--json',
      'model',
      'importance',
      parent,
      '--method',
      'permutation',
      '--repeats',
      '2',
      '--max-windows',
      '6',
    );
    expect(done.exitCode, done.stderr).toBe(0);
    const body = JSON.parse(done.stdout) as {
      status: string;
      operation: string;
      importance: { feature: string; unique_id: string | null; rank: number; method: string }[];
    };
    expect(body).toMatchObject({ status: 'finished', operation: 'importance' });
    expect(body.importance).toHaveLength(4);
    expect(body.importance.filter((r) => r.unique_id === null).map((r) => r.rank)).toEqual([1, 2]);
    expect(new Set(body.importance.map((r) => r.feature))).toEqual(
      new Set(['futr_weekday', 'futr_is_holiday']),
    );

    const human = await cli('model', 'importance', parent, '--method', 'kernel_shap', '--max-windows', '3');
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /kernel_shap importance \(all series\):\nrank\s+feature\s+importance\s+std\s+interval/,
    );
    expect(human.stdout).toMatch(/\n1\s+futr_/);
  });

  it('refuses an unknown method, an option of another method and a value over its cap, naming the field', async () => {
    const lime = await cli('model', 'importance', parent, '--method', 'lime');
    expect(lime.exitCode).toBe(2);
    expect(lime.stderr).toContain('operation.method');
    const steps = await cli('model', 'importance', parent, '--method', 'permutation', '--steps', '10');
    expect(steps.exitCode).toBe(2);
    expect(steps.stderr).toContain('"steps"');
    const repeats = await cli('model', 'importance', parent, '--method', 'permutation', '--repeats', '1000');
    expect(repeats.exitCode).toBe(2);
    expect(repeats.stderr).toContain('operation.repeats');
  });
});
