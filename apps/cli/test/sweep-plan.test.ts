import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

const example = (name: string): string => new URL(`../../../docs/examples/${name}`, import.meta.url).pathname;

describe('nflab sweep plan', () => {
  let dir: string;
  const write = async (name: string, spec: unknown): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nflab-sweep-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the small grid example: 3 models × 2 h × 2 losses = 12 runs, as JSON', async () => {
    const result = await runCli(['--json', 'sweep', 'plan', example('sweep-grid-small.json'), '--no-data']);
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan).toMatchObject({ count: 12, combinations: 12, duplicatesRemoved: 0, invalid: [] });
    expect(plan.runs[0]).toMatchObject({
      index: 0,
      spec: { model: 'auto_nhits', loss: 'mae', h: 1, val_size: '1h' },
    });
  });

  test('the defaults example: 6 series × 2 models × 2 backends', async () => {
    const result = await runCli(['--json', 'sweep', 'plan', example('sweep-defaults.json'), '--no-data']);
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.count).toBe(24);
    expect(plan.runs.slice(0, 2).map((r: { spec: { unique_ids: string[] } }) => r.spec.unique_ids)).toEqual([
      ['N1'],
      ['N1'],
    ]);
  });

  test('prints the count, a compact table of what varies and invalid combinations with reasons', async () => {
    const file = await write('mixed.json', {
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: ['auto_nhits', 'auto_dlinear'],
      h: [1, 1, 2],
      exogenous: { mode: 'explicit', hist_exog_list: ['hist_sum'] },
    });
    const result = await runCli(['sweep', 'plan', file, '--no-data']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`${file}: 2 run(s) from 6 combination(s); 2 duplicate(s) removed, 2 invalid`);
    expect(lines[2]).toMatch(/^#\s+loto\s+unique_ids\s+model\s+backend\s+h\s+fingerprint$/);
    expect(lines[4]).toMatch(/^0\s+loto6\s+N1,N2\s+auto_nhits\s+optuna\s+1\s+[0-9a-f]{12}$/);
    expect(lines[5]).toMatch(/^1\s+loto6\s+N1,N2\s+auto_nhits\s+optuna\s+2\s+[0-9a-f]{12}$/);
    expect(result.stdout).toContain(
      'invalid combinations:\n- loto=loto6 unique_ids=N1,N2 model=auto_dlinear backend=optuna h=1\n',
    );
    expect(result.stdout).toContain(
      "    exogenous: model 'auto_dlinear' does not accept hist exogenous (hist_sum); it accepts: none",
    );
  });

  test('a bad sampler option is an invalid combination naming the field, before any worker runs', async () => {
    const file = await write('bad-option.json', {
      loto: 'loto6',
      unique_ids: ['N1', 'N2'],
      model: 'auto_nhits',
      search_alg: ['tpe', 'random'],
      search_alg_options: { n_startup_trials: -1 },
    });
    const result = await runCli(['--json', 'sweep', 'plan', file, '--no-data']);
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.count).toBe(0);
    expect(plan.invalid.map((i: { reasons: string[] }) => i.reasons)).toEqual([
      [expect.stringMatching(/^search_alg_options\.n_startup_trials: .* \(options of search_alg "tpe"\)$/)],
      [
        expect.stringMatching(
          /^search_alg_options: .*"n_startup_trials".* \(options of search_alg "random"\); allowed: no options$/,
        ),
      ],
    ]);
  });

  test('shows the search settings as one column and valid_loss only where it differs from loss', async () => {
    const file = await write('search.json', {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'auto_nhits',
      backend: ['optuna', 'ray'],
      loss: ['mae', 'mse'],
    });
    const result = await runCli(['sweep', 'plan', file, '--no-data']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[2]).toMatch(/^#\s+loto\s+unique_ids\s+model\s+backend\s+search\s+loss\s+fingerprint$/);
    expect(lines[4]).toMatch(/^0\s+loto6\s+N1\s+auto_nhits\s+optuna\s+tpe\+none\s+mae\s/);
    expect(lines[7]).toMatch(/^3\s+loto6\s+N1\s+auto_nhits\s+ray\s+basic_variant\+fifo\s+mse\s/);
  });

  test('checks the data by default: h too long for a short synthetic series', async () => {
    const home = join(dir, 'home');
    const synth = await runCli([
      '--home',
      home,
      'data',
      'synth',
      '--game',
      'loto6',
      '--draws',
      '12',
      '--table',
      'nf_loto_final',
    ]);
    expect(synth.exitCode, synth.stderr).toBe(0);
    const file = await write('short.json', {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'auto_mlp',
      h: [2, 8],
    });
    const result = await runCli(['--home', home, '--json', 'sweep', 'plan', file]);
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.count).toBe(1);
    expect(plan.invalid[0].reasons[0]).toMatch(/^h: 8 is too long .* needs 17 rows .* has 12$/);
  });

  test('exit status 2 and field-named errors when the spec itself is invalid', async () => {
    const spec = { mode: 'defaults', loto: 'loto6', unique_ids: ['N1'], model: 'auto_nhits' };
    const listed = await runCli([
      'sweep',
      'plan',
      await write('h.json', { ...spec, h: [1, 2] }),
      '--no-data',
    ]);
    expect(listed.exitCode).toBe(2);
    expect(listed.stderr).toContain(
      "error: sweep.h: mode 'defaults' varies only loto, unique_ids, model, backend",
    );
    const badValue = await runCli([
      'sweep',
      'plan',
      await write('b.json', { ...spec, backend: ['ray', 'sklearn'] }),
      '--no-data',
    ]);
    expect(badValue.exitCode).toBe(2);
    expect(badValue.stderr).toMatch(/sweep\.backend\[1\]: .*"optuna".*"ray".*\(got "sklearn"\)/);
    const notJson = await runCli(['sweep', 'plan', await write('x.json', '{ nope'), '--no-data']);
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr).toContain('is not valid JSON');
    const missing = await runCli(['sweep', 'plan', join(dir, 'absent.json'), '--no-data']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('cannot read spec file');
  });

  test('the combination limit: 10,000 by default, --max-combinations or NFLAB_MAX_COMBINATIONS to change it', async () => {
    const seeds = Array.from({ length: 10_001 }, (_, i) => i);
    const file = await write('big.json', {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'auto_nhits',
      random_seed: seeds,
    });
    const refused = await runCli(['sweep', 'plan', file, '--no-data']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      'sweep: forms 10001 combinations (random_seed 10001); at most 10000 are allowed',
    );
    const small = await write('small.json', {
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'auto_nhits',
      h: [1, 2, 3],
    });
    const option = await runCli(['sweep', 'plan', small, '--no-data', '--max-combinations', '2']);
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toContain('forms 3 combinations (h 3); at most 2 are allowed');
    const before = process.env.NFLAB_MAX_COMBINATIONS;
    try {
      process.env.NFLAB_MAX_COMBINATIONS = '2';
      expect((await runCli(['sweep', 'plan', small, '--no-data'])).stderr).toContain('at most 2 are allowed');
      expect(
        (await runCli(['--json', 'sweep', 'plan', small, '--no-data', '--max-combinations', '3'])).exitCode,
      ).toBe(0);
      process.env.NFLAB_MAX_COMBINATIONS = 'many';
      const bad = await runCli(['sweep', 'plan', small, '--no-data']);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain('NFLAB_MAX_COMBINATIONS: must be an integer ≥ 1');
    } finally {
      if (before === undefined) delete process.env.NFLAB_MAX_COMBINATIONS;
      else process.env.NFLAB_MAX_COMBINATIONS = before;
    }
  });
});
