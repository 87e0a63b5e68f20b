/**
 * The experiment wizard's state and how it becomes a sweep spec. The state is plain JSON so it
 * persists in localStorage (a reload or a visit to the data page loses nothing).
 */
import type { Backend, MetricId, ReconciliationMethod, SweepSpecInput } from '@nflab/contracts';
import { hintSpecFields, INITIAL_HINT, type WizardAggregate } from './hint-state.js';

/** Form depth: presets only, every common field, or the raw spec. */
export const WIZARD_MODES = ['quick', 'standard', 'advanced'] as const;
/** A form depth. */
export type WizardMode = (typeof WIZARD_MODES)[number];

/**
 * Quick-mode presets: trials, training steps per trial, and how often validation runs. A trial
 * must validate at least once (val_check_steps ≤ max_steps) or it has no loss to rank it by.
 */
export const PRESETS = {
  fast: { num_samples: 2, max_steps: 20, val_check_steps: 10 },
  balanced: { num_samples: 10, max_steps: 200, val_check_steps: 50 },
  accurate: { num_samples: 30, max_steps: 1000, val_check_steps: 100 },
} as const satisfies Record<string, { num_samples: number; max_steps: number; val_check_steps: number }>;
/** A quick-mode preset id. */
export type PresetId = keyof typeof PRESETS;

/** Exogenous use the wizard offers (explicit lists are for the advanced editor). */
export type ExogenousChoice = 'none' | 'auto';

/** Every value the wizard collects. `null` in a search field means "the backend's default". */
export interface WizardState {
  readonly step: number;
  readonly mode: WizardMode;
  readonly name: string;
  readonly table: string | null;
  readonly loto: string | null;
  readonly uniqueIds: readonly string[];
  readonly eachUniqueId: boolean;
  /** Plain model ids ('nhits'); `search` decides whether the Auto variant runs. */
  readonly models: readonly string[];
  readonly search: boolean;
  readonly backends: readonly Backend[];
  readonly exogenous: ExogenousChoice;
  /** HINT (the hierarchy step): on/off, the aggregates, how to reconcile, the base model's distribution. */
  readonly hint: boolean;
  readonly aggregates: readonly WizardAggregate[];
  readonly reconciliation: ReconciliationMethod;
  readonly distribution: string;
  /** input_size of plain models (search off); null = -1, NeuralForecast's 3·h. */
  readonly inputSize: number | null;
  readonly preset: PresetId;
  readonly horizons: readonly number[];
  readonly losses: readonly string[];
  readonly numSamples: number;
  readonly maxSteps: number;
  readonly valSize: number;
  readonly testSize: number;
  readonly refitWithVal: readonly boolean[];
  readonly scalers: readonly (string | null)[];
  readonly earlyStop: boolean;
  readonly earlyStopPatience: number;
  readonly useInitModels: boolean;
  readonly searchAlg: string | null;
  readonly pruner: string | null;
  readonly scheduler: string | null;
  readonly randomSeed: number;
  readonly timeBudget: number | null;
  readonly cvWindows: number;
  readonly metric: MetricId;
  /** The advanced editor's text; null until the user switches to advanced mode. */
  readonly specText: string | null;
}

/** A fresh wizard. */
export const INITIAL_WIZARD: WizardState = {
  step: 0,
  mode: 'quick',
  name: '',
  table: null,
  loto: null,
  uniqueIds: [],
  eachUniqueId: false,
  models: [],
  search: true,
  backends: ['optuna'],
  exogenous: 'none',
  ...INITIAL_HINT,
  inputSize: null,
  preset: 'fast',
  horizons: [1],
  losses: ['mae'],
  numSamples: PRESETS.fast.num_samples,
  maxSteps: PRESETS.fast.max_steps,
  valSize: 0,
  testSize: 0,
  refitWithVal: [false],
  scalers: [null],
  earlyStop: false,
  earlyStopPatience: 3,
  useInitModels: false,
  searchAlg: null,
  pruner: null,
  scheduler: null,
  randomSeed: 1,
  timeBudget: null,
  cvWindows: 0,
  metric: 'mae',
  specText: null,
};

/** True for a stored state this version can use (older shapes are dropped, not half-read). */
export const isWizardState = (value: unknown): value is WizardState =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(INITIAL_WIZARD).every((key) => key in value) &&
  Array.isArray((value as WizardState).models);

/** One value, or the list of alternatives when there are several (the sweep spec's form). */
const oneOrMany = <T>(values: readonly T[]): T | T[] =>
  values.length === 1 ? (values[0] as T) : [...values];

/** The sweep spec the form describes (mode 'grid': the product over every listed field). */
export const buildSweepSpec = (state: WizardState): SweepSpecInput => {
  const quick = state.mode === 'quick';
  const sizes = quick
    ? PRESETS[state.preset]
    : {
        num_samples: state.numSamples,
        max_steps: state.maxSteps,
        // NeuralForecast validates every 100 steps by default: shorter trials would never validate.
        val_check_steps: Math.min(100, state.maxSteps),
      };
  const spec: SweepSpecInput = {
    mode: 'grid',
    ...(state.name.trim() === '' ? {} : { name: state.name.trim() }),
    ...(state.table === null ? {} : { table_name: state.table }),
    ...(state.loto === null ? {} : { loto: state.loto }),
    unique_ids: [...state.uniqueIds],
    each_unique_id: state.eachUniqueId,
    model: oneOrMany(state.models.map((id) => (state.search ? `auto_${id}` : id))),
    backend: oneOrMany(state.backends),
    h: oneOrMany(state.horizons),
    max_steps: sizes.max_steps,
    // A plain model is trained as configured and NeuralForecast has no default input_size for it.
    config: {
      val_check_steps: sizes.val_check_steps,
      ...(state.search ? {} : { input_size: state.inputSize ?? -1 }),
    },
    ...(state.search ? { num_samples: sizes.num_samples } : {}),
    exogenous: { mode: state.exogenous },
  };
  // HINT's distribution loss replaces the loss choices of standard mode.
  if (quick) return { ...spec, ...hintSpecFields(state) };
  return {
    ...spec,
    loss: oneOrMany(state.losses),
    val_size: state.valSize,
    test_size: state.testSize,
    refit_with_val: oneOrMany(state.refitWithVal),
    local_scaler_type: oneOrMany(state.scalers) as SweepSpecInput['local_scaler_type'],
    early_stop: state.earlyStop,
    ...(state.earlyStop ? { early_stop_patience_steps: state.earlyStopPatience } : {}),
    use_init_models: state.useInitModels,
    ...(state.searchAlg === null ? {} : { search_alg: state.searchAlg }),
    ...(state.pruner === null ? {} : { pruner: state.pruner }),
    ...(state.scheduler === null ? {} : { scheduler: state.scheduler }),
    random_seed: state.randomSeed,
    ...(state.timeBudget === null ? {} : { time_budget: state.timeBudget }),
    cross_validation: state.cvWindows > 0 ? { n_windows: state.cvWindows, step_size: 1, refit: false } : null,
    metric: state.metric,
    ...hintSpecFields(state),
  };
};

/** The spec the review and run steps send: the editor's JSON in advanced mode, else the form's. */
export type SpecSource =
  { readonly ok: true; readonly spec: SweepSpecInput } | { readonly ok: false; readonly error: string };

/** Parses the advanced editor's text (structure is checked by the server, not here). */
export const parseSpecText = (text: string): SpecSource => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, error: 'the spec must be a JSON object' };
    }
    return { ok: true, spec: parsed as SweepSpecInput };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
};

/** The editor's spec in advanced mode, else the form's. */
export const currentSpec = (state: WizardState): SpecSource =>
  state.mode === 'advanced' && state.specText !== null
    ? parseSpecText(state.specText)
    : { ok: true, spec: buildSweepSpec(state) };

/**
 * Why a model cannot be chosen with the current choices, or null when it can. The planner's rules:
 * a multivariate model takes a run's series together, so one run per series is refused for it,
 * while one chosen series is a run (n_series 1: NeuralForecast builds it, there is just nothing to
 * mix across — the model card says so); HINT needs a distribution loss, which point-loss-only
 * models cannot train with.
 */
export const modelBlocker = (
  model: {
    readonly exogenous: { readonly futr: boolean; readonly hist: boolean; readonly stat: boolean };
    readonly multivariate: boolean;
    readonly pointLossOnly: boolean;
  },
  state: Pick<WizardState, 'exogenous' | 'eachUniqueId' | 'hint'>,
): 'noExogenous' | 'multivariateSplit' | 'hintPointLoss' | null => {
  const { futr, hist, stat } = model.exogenous;
  if (state.exogenous !== 'none' && !futr && !hist && !stat) return 'noExogenous';
  if (model.multivariate && state.eachUniqueId) return 'multivariateSplit';
  if (state.hint && model.pointLossOnly) return 'hintPointLoss';
  return null;
};

/** "1, 2 3" → [1, 2, 3]; null when a part is not a positive integer. */
export const parseIntList = (text: string): number[] | null => {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  const values = parts.map(Number);
  return parts.length > 0 && values.every((v) => Number.isInteger(v) && v >= 1) ? values : null;
};
