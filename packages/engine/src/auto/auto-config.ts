/**
 * Builds an Auto search's space and the keys every trial shares, with NeuralForecast's BaseAuto
 * rules: `h`, `loss` and `valid_loss` are options, never config keys; `valid_loss` defaults to
 * `loss`; early stopping forces refit_with_val; exogenous lists go only to models that take them.
 */
import { ConfigError } from '@nflab/contracts';
import { parseSearchSpace, type JsonValue, type ParamSpec, type SearchSpace } from '@nflab/tune';
import type { LossSpecInput } from '../config/common.js';
import { checkConfigKeyNames } from '../config/config-keys.js';
import { getModelSpec } from '../models/registry.js';

/** A config override: a search primitive, or a plain value searched as a constant. */
export type ConfigValue = ParamSpec | JsonValue;

/** How user `config` combines with the model's default space. */
export type ConfigMode = 'merge' | 'replace';

/** Inputs of {@link buildAutoSetup}. */
export interface AutoSetupInput {
  readonly model: string;
  readonly h: number;
  readonly loss?: LossSpecInput;
  readonly validLoss?: LossSpecInput;
  readonly config?: Readonly<Record<string, ConfigValue>>;
  /** @default 'merge' */
  readonly configMode?: ConfigMode;
  readonly refitWithVal?: boolean;
  readonly earlyStop?: { readonly patienceSteps: number };
  readonly futrExogList?: readonly string[];
  readonly histExogList?: readonly string[];
  readonly statExogList?: readonly string[];
}

/** The resolved search: its space, the constant keys of every trial, and the refit rule. */
export interface AutoSetup {
  readonly space: SearchSpace;
  /** Keys added to every trial's sampled params (h, losses, exog lists, early stopping). */
  readonly fixed: Readonly<Record<string, JsonValue>>;
  readonly refitWithVal: boolean;
}

const PARAM_KINDS: readonly string[] = ['float', 'int', 'categorical', 'fixed'];
/** Keys the Auto wrapper owns (NeuralForecast's `auto_provided` plus the exogenous lists). */
const RESERVED = ['h', 'loss', 'valid_loss', 'futr_exog_list', 'hist_exog_list', 'stat_exog_list'];

/** True when `value` is a search primitive rather than a constant. */
export const isParamSpec = (value: ConfigValue): value is ParamSpec =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { kind?: unknown }).kind === 'string' &&
  PARAM_KINDS.includes((value as { kind: string }).kind);

const toSpace = (config: Readonly<Record<string, ConfigValue>>): Record<string, ParamSpec> => {
  const out: Record<string, ParamSpec> = {};
  for (const [key, value] of Object.entries(config)) {
    if (RESERVED.includes(key)) {
      throw new ConfigError(
        `config key '${key}' is set by the Auto options (h, loss, validLoss, futrExogList, histExogList, statExogList), not by config`,
      );
    }
    out[key] = isParamSpec(value) ? value : { kind: 'fixed', value };
  }
  return out;
};

const exogLists = (input: AutoSetupInput): Record<string, JsonValue> => {
  const spec = getModelSpec(input.model);
  const lists = { futr: input.futrExogList, hist: input.histExogList, stat: input.statExogList } as const;
  const accepted = (['futr', 'hist', 'stat'] as const).filter((k) => spec.exogenous[k]);
  const out: Record<string, JsonValue> = {};
  for (const kind of ['futr', 'hist', 'stat'] as const) {
    const list = lists[kind];
    if (!list || list.length === 0) continue;
    if (!spec.exogenous[kind]) {
      throw new ConfigError(
        `model '${spec.id}' (${spec.label}) does not accept ${kind}ExogList; it accepts ${
          accepted.length > 0 ? accepted.map((k) => `${k}ExogList`).join(', ') : 'no exogenous variables'
        }`,
      );
    }
    out[`${kind}_exog_list`] = [...list];
  }
  return out;
};

/** Resolves the space (merge or replace), the constant keys and refit_with_val. */
export const buildAutoSetup = (input: AutoSetupInput): AutoSetup => {
  const spec = getModelSpec(input.model);
  const mode = input.configMode ?? 'merge';
  if (mode !== 'merge' && mode !== 'replace')
    throw new ConfigError(`configMode '${String(mode)}' is not one of: merge, replace`);
  const overrides = toSpace(input.config ?? {});
  if (mode === 'replace' && !('input_size' in overrides))
    throw new ConfigError(`configMode 'replace' needs config.input_size (model '${spec.id}' has no default)`);
  const space = parseSearchSpace(
    mode === 'merge' ? { ...spec.defaultSearchSpace(input.h), ...overrides } : overrides,
  );
  // A typo in a searched key must fail here, once, not in every trial.
  checkConfigKeyNames(Object.keys(space), { modelName: spec.label, spec });
  const loss: LossSpecInput = input.loss ?? 'mae';
  const fixed: Record<string, JsonValue> = {
    h: input.h,
    loss: loss as JsonValue,
    valid_loss: (input.validLoss ?? loss) as JsonValue,
    ...exogLists(input),
  };
  if (input.earlyStop) {
    const p = input.earlyStop.patienceSteps;
    if (!Number.isInteger(p) || p < 1)
      throw new ConfigError(`earlyStop.patienceSteps must be a positive integer, got ${p}`);
    fixed.early_stop_patience_steps = p;
  }
  // NeuralForecast: early stopping needs the validation part, so the refit keeps it — also when
  // early_stop_patience_steps comes through config (BaseAuto checks the config keys the same way).
  const earlyStopInConfig = 'early_stop_patience_steps' in space;
  return {
    space,
    fixed,
    refitWithVal: (input.refitWithVal ?? false) || input.earlyStop !== undefined || earlyStopInConfig,
  };
};
