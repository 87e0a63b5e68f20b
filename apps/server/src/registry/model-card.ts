/**
 * Model cards (issue 17, item 5): what a registered version is, read from what the lab recorded of
 * its run — intended use, data (table, game, series, dates, fingerprint), training and search,
 * metrics beside the naive baselines with their Diebold–Mariano tests and the plain verdict on
 * chance, resources and time, artifact hashes, lab and engine versions, known limitations. Built
 * on request, so a card always says what the registry and the run say now.
 */
import { createRequire } from 'node:module';
import {
  getRegisteredModelRow,
  getRun,
  listArtifacts,
  listRegistryVersions,
  listSeries,
  listTrials,
  type ArtifactRow,
  type DataScope,
  type ModelRegistryRow,
  type ModelRunRow,
  type Queryable,
  type TrialListRow,
} from '@nflab/store';
import { num } from '../reports/html.js';
import { runVerdict } from '../reports/run-report.js';
import type { ModelCardFormat } from '@nflab/contracts';
import {
  fieldText,
  renderCardHtml,
  renderCardMarkdown,
  type CardBlock,
  type CardSection,
  type ModelCard,
} from './model-card-render.js';

// src/registry and dist/registry are both two levels below the package root.
const { version: LAB_VERSION } = createRequire(import.meta.url)('../../package.json') as { version: string };

type Json = Readonly<Record<string, unknown>>;

const asRecord = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** Where to read the data span of the run's series. */
export interface ModelCardSources {
  /** The connection data tables are read through. @default the registry's */
  readonly dataDb?: Queryable;
  readonly scope?: DataScope;
}

/** What the card is made from. */
interface CardInputs {
  readonly entry: ModelRegistryRow;
  readonly description: string | null;
  readonly run: ModelRunRow | undefined;
  readonly trials: readonly TrialListRow[];
  readonly artifacts: readonly ArtifactRow[];
  /** The run's series in its table today: first and last date, rows; or why it is unknown. */
  readonly span: { readonly from: string; readonly to: string; readonly rows: number } | string;
}

const seriesSpan = async (
  db: Queryable,
  run: ModelRunRow,
  scope: DataScope | undefined,
): Promise<CardInputs['span']> => {
  if (run.table_name === null || run.loto === null) return 'the run names no table or game';
  try {
    const series = (await listSeries(db, run.table_name, run.loto, scope)).filter((s) =>
      run.unique_ids.includes(s.uniqueId),
    );
    if (series.length === 0) return `${run.table_name} has no rows of these series today`;
    return {
      from: series.map((s) => s.start).sort()[0] as string,
      to: series
        .map((s) => s.end)
        .sort()
        .at(-1) as string,
      rows: series.reduce((sum, s) => sum + s.rows, 0),
    };
  } catch (error) {
    return `the table cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
};

const loadInputs = async (
  db: Queryable,
  entry: ModelRegistryRow,
  sources: ModelCardSources,
): Promise<CardInputs> => {
  const model = await getRegisteredModelRow(db, entry.name);
  const description = entry.description ?? model?.description ?? null;
  if (entry.run_id === null)
    return { entry, description, run: undefined, trials: [], artifacts: [], span: 'no lab run' };
  const run = await getRun(db, entry.run_id);
  const [trials, artifacts, span] = await Promise.all([
    listTrials(db, run.id),
    listArtifacts(db, run.id),
    seriesSpan(sources.dataDb ?? db, run, sources.scope),
  ]);
  return { entry, description, run, trials, artifacts, span };
};

/** The evaluated set the verdict rests on, as run-report.ts picks it: test, else cross-validation. */
const evaluatedSet = (metrics: Json): [string, Json] | null => {
  for (const key of ['test', 'cv']) {
    const set = metrics[key];
    if (typeof set === 'object' && set !== null) return [key, set as Json];
  }
  return null;
};

const intendedUse = ({ entry, run, description }: CardInputs): CardSection => {
  const items =
    run === undefined
      ? [
          `A version an MLflow client registered from ${entry.source ?? 'elsewhere'}; the lab has no run of it.`,
        ]
      : [
          `Forecasts the next ${run.horizon ?? '?'} value(s) of ${run.unique_ids.join(', ')} of the game ${run.loto ?? '?'} (table ${run.table_name ?? '?'}), for forecasting experiments and comparison with other models in the lab.`,
          'Lottery draws are designed to be random: the card says below whether this model beats the naive baselines with significance. It is not meant for choosing numbers to play.',
        ];
  return {
    title: 'Intended use',
    blocks: [
      ...(description === null ? [] : [{ kind: 'text', text: description } as const]),
      { kind: 'list', items },
    ],
  };
};

const dataSection = ({ run, span }: CardInputs): CardSection | undefined => {
  if (run === undefined) return undefined;
  const exogenous = asRecord(asRecord(run.model_properties).exogenous);
  return {
    title: 'Data',
    blocks: [
      {
        kind: 'fields',
        fields: {
          table: run.table_name,
          game: run.loto,
          series: run.unique_ids.join(', '),
          'date range (the table today)':
            typeof span === 'string' ? `unknown: ${span}` : `${span.from} – ${span.to}`,
          'rows (the table today)': typeof span === 'string' ? null : span.rows,
          'data fingerprint (as trained)': run.data_fingerprint,
          'exogenous columns': Object.values(exogenous).flat().join(', ') || 'none',
        },
      },
      {
        kind: 'text',
        text: 'The fingerprint is the SHA-256 of the exact rows the run read; rows added since change the table span but not the fingerprint.',
      },
    ],
  };
};

const trainingSection = ({ run, trials }: CardInputs): CardSection | undefined => {
  if (run === undefined) return undefined;
  const spec = asRecord(run.spec);
  const complete = trials.filter((t) => t.state === 'COMPLETE').length;
  const best = trials
    .filter((t) => t.state === 'COMPLETE' && t.value !== null)
    .sort((a, b) => (a.value as number) - (b.value as number))[0];
  // A plain model fits once with its configuration: no backend or sampler was involved.
  const searched = trials.length > 0 || run.search_space !== null;
  const blocks: CardBlock[] = [
    {
      kind: 'fields',
      fields: {
        model: run.model_name,
        ...(searched ? { 'search backend': run.backend } : {}),
        horizon: run.horizon,
        loss: run.loss,
        metric: run.metric,
        seed: run.seed === null ? null : Number(run.seed),
        max_steps: spec.max_steps,
        val_size: spec.val_size,
        test_size: spec.test_size,
        local_scaler_type: spec.local_scaler_type,
        trials: searched ? `${trials.length} (${complete} complete)` : 'no search: one fit',
        ...(searched
          ? {
              'best trial': best === undefined ? null : `#${best.number}, value ${num(best.value)}`,
              'search algorithm': asRecord(run.optimization_config).search_alg,
            }
          : {}),
      },
    },
    {
      kind: 'table',
      caption: 'Final configuration',
      head: ['parameter', 'value'],
      rows: fieldRows(run.best_params),
    },
  ];
  if (run.search_space !== null)
    blocks.push({ kind: 'code', text: JSON.stringify(run.search_space, null, 2) });
  return { title: 'Training configuration and search', blocks };
};

const fieldRows = (value: unknown): string[][] =>
  Object.entries(asRecord(value)).map(([key, v]) => [key, typeof v === 'number' ? num(v) : fieldText(v)]);

const metricsSection = ({ run }: CardInputs): CardSection | undefined => {
  if (run === undefined) return undefined;
  const metrics = asRecord(run.metrics);
  const found = evaluatedSet(metrics);
  if (found === null)
    return {
      title: 'Metrics, baselines and significance',
      blocks: [
        { kind: 'fields', fields: { valid_loss: metrics.valid_loss ?? null } },
        {
          kind: 'text',
          text: 'The run recorded no forecasts with known actuals, so no baseline comparison exists.',
        },
      ],
    };
  const [source, set] = found;
  const overall = asRecord(set.overall);
  const names = Object.keys(overall);
  const baselines = Object.entries(asRecord(set.baselines));
  const blocks: CardBlock[] = [
    {
      kind: 'fields',
      fields: { valid_loss: metrics.valid_loss ?? null, 'evaluated on': source, points: set.points },
    },
    {
      kind: 'table',
      caption: `${source === 'test' ? 'Held-out test' : 'Cross-validation'}: model vs the naive baselines`,
      head: ['forecast', ...names],
      rows: [['model', overall] as const, ...baselines].map(([name, values]) => [
        name,
        ...names.map((m) => num(asRecord(values)[m])),
      ]),
    },
  ];
  const significance = Object.entries(asRecord(set.significance));
  if (significance.length > 0)
    blocks.push({
      kind: 'table',
      caption: 'Diebold–Mariano test, model vs each baseline',
      head: ['baseline', 'statistic', 'p-value', 'significantly better (α = 0.05)'],
      rows: significance.map(([id, test]) => {
        const t = test === null ? null : asRecord(test);
        return [id, num(t?.statistic), num(t?.pValue), t === null ? 'not computable' : fieldText(t.better)];
      }),
    });
  if (typeof set.baselines_skipped === 'string')
    blocks.push({ kind: 'text', text: `Baselines skipped: ${set.baselines_skipped}` });
  return { title: 'Metrics, baselines and significance', blocks };
};

const resourcesSection = ({ run }: CardInputs): CardSection | undefined => {
  if (run === undefined) return undefined;
  const system = asRecord(run.system_info);
  return {
    title: 'Resources and time',
    blocks: [
      {
        kind: 'fields',
        fields: {
          started: run.start_time?.toISOString() ?? null,
          ended: run.end_time?.toISOString() ?? null,
          duration_seconds: run.duration_seconds,
          ...Object.fromEntries(Object.entries(asRecord(run.resource_summary)).map(([k, v]) => [k, v])),
          ...(system.cpus === undefined ? {} : { cpus: system.cpus }),
          ...(system.platform === undefined ? {} : { platform: system.platform }),
        },
      },
    ],
  };
};

const artifactsSection = ({ entry, run, artifacts }: CardInputs): CardSection => {
  const properties = asRecord(run?.model_properties);
  return {
    title: 'Artifacts and versions',
    blocks: [
      {
        kind: 'fields',
        fields: {
          'model hash (SHA-256 of the saved files)': properties.sha256 ?? null,
          'model bytes': properties.fileBytes ?? null,
          'lab version': `NF Loto Lab ${LAB_VERSION}`,
          'engine version': run?.engine_version ?? null,
          ...(entry.source === null ? {} : { source: entry.source }),
        },
      },
      ...(artifacts.length === 0
        ? []
        : [
            {
              kind: 'table',
              caption: 'Files',
              head: ['kind', 'path', 'sha256', 'bytes'],
              rows: artifacts.map((a) => [a.kind, a.path, a.sha256 ?? '—', fieldText(a.bytes)]),
            } as const,
          ]),
    ],
  };
};

const limitations = ({ run }: CardInputs, beats: boolean | null): CardSection => {
  const items: string[] = [];
  if (beats !== true)
    items.push(
      'It is not shown to beat the naive baselines with significance: treat its forecasts as no better than chance.',
    );
  if (run !== undefined) {
    items.push(
      `Trained on ${run.unique_ids.join(', ')} of ${run.loto ?? '?'} only; other series or games were not seen.`,
      'Metrics hold for the evaluated points; later draws may differ (check drift before relying on it).',
      'Numbers can differ in the last bits on another compute backend (the engine version names the one used).',
    );
    if (run.data_fingerprint === null)
      items.push('The run recorded no data fingerprint, so its data version cannot be checked.');
  } else
    items.push(
      'Registered from outside the lab: no data, training or metrics are known here, and the lab cannot predict with it.',
    );
  return { title: 'Known limitations', blocks: [{ kind: 'list', items }] };
};

/** The card of registry version `entry`. */
export const buildModelCard = async (
  db: Queryable,
  entry: ModelRegistryRow,
  sources: ModelCardSources = {},
): Promise<ModelCard> => {
  const inputs = await loadInputs(db, entry, sources);
  const { beats, text } =
    inputs.run === undefined
      ? { beats: null, text: 'The lab has no run of this version, so whether it beats chance is unknown.' }
      : runVerdict(asRecord(inputs.run.metrics));
  const sections = [
    {
      title: 'Registry',
      blocks: [
        {
          kind: 'fields',
          fields: {
            name: entry.name,
            version: entry.version,
            stage: entry.stage,
            aliases: entry.aliases.join(', ') || 'none',
            run: entry.run_id,
            registered: entry.created_at.toISOString(),
            'last moved': entry.updated_at.toISOString(),
          },
        },
      ],
    } satisfies CardSection,
    intendedUse(inputs),
    dataSection(inputs),
    trainingSection(inputs),
    metricsSection(inputs),
    resourcesSection(inputs),
    artifactsSection(inputs),
    limitations(inputs, beats),
  ].filter((section): section is CardSection => section !== undefined);
  return {
    title: `Model card: ${entry.name} version ${entry.version}`,
    subtitle: `${entry.stage}${entry.aliases.length === 0 ? '' : ` · ${entry.aliases.map((a) => `@${a}`).join(' ')}`} · made ${new Date().toISOString()}`,
    beatsChance: beats,
    verdict: text,
    sections,
  };
};

/** A rendered card: its text, content type and a file name for downloads. */
export interface ModelCardFile {
  readonly body: string;
  readonly contentType: string;
  readonly fileName: string;
}

/** The card of `entry` as a Markdown or HTML file. */
export const modelCardFile = async (
  db: Queryable,
  entry: ModelRegistryRow,
  format: ModelCardFormat,
  sources: ModelCardSources = {},
): Promise<ModelCardFile> => {
  const card = await buildModelCard(db, entry, sources);
  const safeName = entry.name.replace(/[^A-Za-z0-9._-]+/g, '_');
  return format === 'html'
    ? {
        body: renderCardHtml(card),
        contentType: 'text/html; charset=utf-8',
        fileName: `model-card-${safeName}-v${entry.version}.html`,
      }
    : {
        body: renderCardMarkdown(card),
        contentType: 'text/markdown; charset=utf-8',
        fileName: `model-card-${safeName}-v${entry.version}.md`,
      };
};

/**
 * The model cards of every registered version of run `runId`, Markdown and HTML, as files exported
 * with the run's model (`model-card/<name>-v<version>.md|html` beside `model/`).
 */
export const modelCardArtifacts = async (
  db: Queryable,
  runId: string,
  sources: ModelCardSources = {},
): Promise<{ path: string; text: string }[]> => {
  const versions = (await listRegistryVersions(db)).filter((version) => version.run_id === runId);
  const files: { path: string; text: string }[] = [];
  for (const version of versions)
    for (const format of ['md', 'html'] as const) {
      const card = await modelCardFile(db, version, format, sources);
      files.push({ path: `model-card/${card.fileName.replace(/^model-card-/, '')}`, text: card.body });
    }
  return files;
};
