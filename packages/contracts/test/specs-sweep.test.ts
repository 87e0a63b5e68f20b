import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  InputError,
  listedFields,
  parseSweepSpec,
  RUN_FIELD_NAMES,
  specJsonSchemas,
  type InputIssue,
} from '@nflab/contracts';

const issuesOf = (value: unknown): InputIssue[] => {
  try {
    parseSweepSpec(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).issues];
  }
  throw new Error('expected the sweep to be rejected');
};

describe('sweep spec', () => {
  it('takes a value or a list of alternatives for any field', () => {
    const sweep = parseSweepSpec({
      loto: 'loto6',
      unique_ids: [['N1', 'N2'], ['N3']],
      model: ['auto_nhits', 'auto_mlp'],
      h: [1, 2],
      loss: ['mae', { id: 'mqloss', level: [80] }],
      val_size: ['1h', 10],
      tracking: ['postgres', 'mlflow'],
    });
    expect(sweep.mode).toBe('grid');
    expect(sweep.each_unique_id).toBe(false);
    expect(listedFields(sweep)).toEqual(['unique_ids', 'model', 'loss', 'h', 'val_size']);
  });

  it("reads NeuralForecast's class names in a model list as ids", () => {
    expect(
      parseSweepSpec({ loto: 'loto6', unique_ids: ['N1'], model: ['AutoNHITS', 'NHITS', 'auto_mlp'] }).model,
    ).toEqual(['auto_nhits', 'nhits', 'auto_mlp']);
    expect(parseSweepSpec({ loto: 'loto6', unique_ids: ['N1'], model: 'AutoDLinear' }).model).toBe(
      'auto_dlinear',
    );
    const listed = parseSweepSpec({
      mode: 'list',
      loto: 'loto6',
      unique_ids: ['N1'],
      runs: [{ model: 'AutoTiDE' }, { model: 'NBEATSx' }],
    });
    expect(listed.runs?.map((run) => run.model)).toEqual(['auto_tide', 'nbeatsx']);
  });

  it('reads a flat unique_ids list as one panel, not alternatives', () => {
    const sweep = parseSweepSpec({ loto: 'loto6', unique_ids: ['N1', 'N2'], model: 'auto_nhits' });
    expect(listedFields(sweep)).toEqual([]);
  });

  it("mode 'defaults' rejects alternatives outside loto × unique_ids × model × backend", () => {
    const issues = issuesOf({
      mode: 'defaults',
      loto: 'loto6',
      unique_ids: ['N1'],
      model: 'auto_nhits',
      h: [1, 2],
    });
    expect(issues).toEqual([
      {
        path: 'sweep.h',
        message:
          "mode 'defaults' varies only loto, unique_ids, model, backend; 'h' lists alternatives — give one value or use mode 'grid' (got [1,2])",
      },
    ]);
  });

  it("mode 'list' needs runs and takes one shared value per field", () => {
    expect(issuesOf({ mode: 'list', loto: 'loto6' })[0]?.path).toBe('sweep.runs');
    const issues = issuesOf({ mode: 'list', model: ['auto_nhits', 'auto_mlp'], runs: [{ loto: 'loto6' }] });
    expect(issues.map((i) => i.path)).toEqual(['sweep.model']);
    expect(issuesOf({ mode: 'list', runs: [{ loto: 'loto6', horizon: 2 }] })[0]).toMatchObject({
      path: 'sweep.runs[0]',
      message: expect.stringContaining('unknown field(s) "horizon"; allowed: table_name, loto'),
    });
  });

  it('grid mode names missing required fields, bad list members and stray runs', () => {
    const paths = issuesOf({ loto: 'loto6', model: ['auto_nhits', 'N-HITS'], runs: [{}] }).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['sweep.model[1]', 'sweep.runs', 'sweep.unique_ids']));
  });
});

describe('spec JSON Schemas', () => {
  it('the committed files in docs/schemas equal what the code generates', () => {
    for (const [file, schema] of Object.entries(specJsonSchemas())) {
      const path = fileURLToPath(new URL(`../../../docs/schemas/${file}`, import.meta.url));
      const committed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      // Regenerate with `npx tsx scripts/write-spec-schemas.ts`.
      expect(committed, `${file} is stale`).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describes the run fields with their defaults for editors', () => {
    const run = specJsonSchemas()['run-spec.schema.json'] as {
      properties: Record<string, { default?: unknown }>;
      required: string[];
    };
    expect(run.required).toEqual(['loto', 'unique_ids', 'model']);
    expect(run.properties.table_name?.default).toBe('nf_loto_final');
    expect(run.properties.backend?.default).toBe('optuna');
  });

  it('gives every run field an editor description, in both schemas', () => {
    const schemas = specJsonSchemas() as Record<string, { properties: Record<string, unknown> }>;
    for (const [file, schema] of Object.entries(schemas)) {
      for (const name of RUN_FIELD_NAMES) {
        expect(JSON.stringify(schema.properties[name]), `${file} ${name}`).toContain('"description"');
      }
    }
  });
});
