/**
 * Turns NeuralForecast's search vocabulary — the spec's snake_case keys (`backend`, `search_alg`,
 * `pruner` | `scheduler`, their `*_options`, `seed`), taken as they are — into a sampler and a
 * pruner. Both backends are native implementations here, modelled on Optuna and Ray Tune: each
 * sampler, pruner and scheduler file owns the schema of its options, so a spec's options are
 * checked before any trial runs ({@link searchProblems}).
 */
import { BACKEND_DEFAULTS, ConfigError, searchConfigSchema, type SearchConfig } from '@nflab/contracts';
import type { z } from 'zod';
import { createPruner, PRUNERS } from './pruners/registry.js';
import type { Pruner } from './pruners/types.js';
import { RAY_SEARCH_ALGS } from './samplers/ray-search.js';
import { createSampler, SAMPLERS } from './samplers/registry.js';
import type { Sampler } from './samplers/types.js';
import { SCHEDULERS } from './schedulers/registry.js';

/** Input of {@link createSearch}: the spec's search keys as written (defaults not yet filled). */
export type SearchSettings = z.input<typeof searchConfigSchema>;

/** What a search configuration resolves to: registry entries and their options, still unparsed. */
interface SearchPlan {
  readonly sampler: {
    readonly entry: (typeof SAMPLERS)[keyof typeof SAMPLERS];
    readonly presets: Readonly<Record<string, unknown>>;
    readonly field: 'search_alg_options';
    readonly name: string;
  };
  readonly pruner: {
    readonly field: 'pruner_options' | 'scheduler_options';
    readonly name: string;
    readonly schema: z.ZodType;
    /** Parsed options to the pruner's own options. */
    readonly toPruner: (parsed: unknown) => { readonly id: keyof typeof PRUNERS; readonly options: unknown };
  };
}

const planOf = (cfg: SearchConfig): SearchPlan => {
  if (cfg.backend === 'optuna') {
    const samplerId = (cfg.search_alg ?? BACKEND_DEFAULTS.optuna.search_alg) as keyof typeof SAMPLERS;
    const prunerId = (cfg.pruner ?? BACKEND_DEFAULTS.optuna.pruner) as keyof typeof PRUNERS;
    return {
      sampler: { entry: SAMPLERS[samplerId], presets: {}, field: 'search_alg_options', name: samplerId },
      pruner: {
        field: 'pruner_options',
        name: prunerId,
        schema: PRUNERS[prunerId].options,
        toPruner: (options) => ({ id: prunerId, options }),
      },
    };
  }
  const alg =
    RAY_SEARCH_ALGS[(cfg.search_alg ?? BACKEND_DEFAULTS.ray.search_alg) as keyof typeof RAY_SEARCH_ALGS];
  const scheduler = SCHEDULERS[(cfg.scheduler ?? BACKEND_DEFAULTS.ray.scheduler) as keyof typeof SCHEDULERS];
  return {
    sampler: {
      entry: SAMPLERS[alg.sampler],
      presets: alg.presets,
      field: 'search_alg_options',
      name: alg.id,
    },
    pruner: {
      field: 'scheduler_options',
      name: scheduler.id,
      schema: scheduler.options,
      toPruner: (options) => ({
        id: scheduler.pruner,
        options: (scheduler.prunerOptions as (o: unknown) => Record<string, unknown>)(options),
      }),
    },
  };
};

const keysOf = (schema: z.ZodType): string[] =>
  'shape' in schema && typeof schema.shape === 'object' && schema.shape !== null
    ? Object.keys(schema.shape)
    : [];

/** `field.path: message (options of <what> "<id>")`, with the allowed keys when a key is unknown. */
const optionIssues = (field: string, what: string, schema: z.ZodType, error: z.ZodError): string[] =>
  error.issues.map((issue) => {
    const allowed = keysOf(schema);
    const hint =
      issue.code === 'unrecognized_keys'
        ? `; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'no options'}`
        : '';
    return `${[field, ...issue.path.map(String)].join('.')}: ${issue.message} (options of ${what})${hint}`;
  });

type Checked =
  | { readonly ok: true; readonly cfg: SearchConfig; readonly plan: SearchPlan; readonly pruner: unknown }
  | { readonly ok: false; readonly problems: string[]; readonly cause: unknown };

const check = (config: unknown): Checked => {
  const parsed = searchConfigSchema.safeParse(config);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => i.message), cause: parsed.error };
  const cfg = parsed.data;
  const plan = planOf(cfg);
  const problems: string[] = [];
  const sampler = plan.sampler.entry.options.safeParse(cfg.search_alg_options ?? {});
  if (!sampler.success)
    problems.push(
      ...optionIssues(
        plan.sampler.field,
        `search_alg "${plan.sampler.name}"`,
        plan.sampler.entry.options,
        sampler.error,
      ),
    );
  const pruner = plan.pruner.schema.safeParse(cfg[plan.pruner.field] ?? {});
  const what = plan.pruner.field === 'pruner_options' ? 'pruner' : 'scheduler';
  if (!pruner.success)
    problems.push(
      ...optionIssues(plan.pruner.field, `${what} "${plan.pruner.name}"`, plan.pruner.schema, pruner.error),
    );
  if (problems.length > 0) return { ok: false, problems, cause: undefined };
  return { ok: true, cfg, plan, pruner: pruner.data };
};

/**
 * Every problem of a search configuration, each naming its field (`search_alg_options.n_startup_trials:
 * …`); empty when {@link createSearch} would succeed. Planners call it so bad options fail before a run.
 */
export const searchProblems = (config: unknown): string[] => {
  const checked = check(config);
  return checked.ok ? [] : checked.problems;
};

/** A sampler and a pruner for a search configuration; ConfigError names each bad field. */
export const createSearch = (config: SearchSettings): { sampler: Sampler; pruner: Pruner } => {
  const checked = check(config);
  if (!checked.ok) throw new ConfigError(checked.problems.join('; '), { cause: checked.cause });
  const { cfg, plan } = checked;
  const { id, options } = plan.pruner.toPruner(checked.pruner);
  return {
    sampler: createSampler(
      plan.sampler.entry.id,
      { ...plan.sampler.presets, ...cfg.search_alg_options },
      cfg.seed,
    ),
    pruner: createPruner(id, options),
  };
};
