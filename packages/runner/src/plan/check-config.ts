/**
 * Checks of a run's `config` against its model: every key is a common training key or one of the
 * model's own (the engine's own key check, so plan and run agree), and a plain model's config (trained as given, no search) parses, input_size
 * included — NeuralForecast has no model-independent default for it.
 */
import { isAutoModel, isLabError, type RunSpec } from '@nflab/contracts';
import {
  checkConfigKeyNames,
  checkConfigKeys,
  MODELS,
  parseCommonConfig,
  splitConfig,
  type ModelId,
} from '@nflab/engine';

const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** A number the run fixes: a plain config value or a `{ kind: 'fixed' }` search entry. */
const fixedNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  const entry = value as { kind?: unknown; value?: unknown } | null | undefined;
  return entry?.kind === 'fixed' && typeof entry.value === 'number' ? entry.value : undefined;
};

/**
 * An Auto run scores each trial by its validation loss; validation runs every `val_check_steps`,
 * so a trial shorter than that reports nothing and every trial fails. Checked when both are fixed.
 */
const validationProblem = (spec: RunSpec, id: ModelId): string | undefined => {
  const maxSteps =
    spec.max_steps ?? fixedNumber(spec.config.max_steps) ?? fixedNumber(spec.search_space?.max_steps);
  if (maxSteps === undefined) return undefined;
  const given = fixedNumber(spec.config.val_check_steps) ?? fixedNumber(spec.search_space?.val_check_steps);
  const defaults: Readonly<Record<string, unknown>> = MODELS[id].commonDefaults;
  const modelDefault = fixedNumber(defaults.val_check_steps);
  const valCheck = given ?? modelDefault ?? 100;
  if (valCheck <= maxSteps) return undefined;
  return (
    `config.val_check_steps: ${valCheck}${given === undefined ? ' (the default)' : ''} is more than max_steps (${maxSteps}), ` +
    'so no trial would compute a validation loss to be scored by; set config.val_check_steps to at most max_steps'
  );
};

/** Every config problem of a run whose model `id` is registered; empty when the config fits. */
export const checkRunConfig = (spec: RunSpec, id: ModelId): string[] => {
  const keyOptions = { modelName: spec.model, spec: MODELS[id] };
  let checked: Record<string, unknown>;
  try {
    // Auto configs hold search entries as values, so only their names are checked here.
    if (isAutoModel(spec.model)) {
      checkConfigKeyNames(Object.keys(spec.config), keyOptions);
      checked = spec.config;
    } else checked = checkConfigKeys(spec.config, keyOptions);
  } catch (error) {
    if (!isLabError(error)) throw error;
    return [`config: ${error.message}`];
  }
  const { common, model } = splitConfig(checked);
  // Auto models take search-space entries as config values; the engine checks those when it builds the space.
  if (isAutoModel(spec.model)) {
    const problem = validationProblem(spec, id);
    return problem === undefined ? [] : [problem];
  }
  const problems: string[] = [];
  if (common.input_size === undefined) {
    problems.push(
      `config.input_size: required for the plain model '${spec.model}' (an integer ≥ 1, or -1 for 3·h as NeuralForecast); use '${'auto_' + id}' to search it`,
    );
  } else {
    try {
      parseCommonConfig(
        { ...common, h: spec.h },
        { modelDefaults: MODELS[id].commonDefaults, modelName: spec.model },
      );
    } catch (error) {
      if (!isLabError(error)) throw error;
      problems.push(`config: ${error.message}`);
    }
  }
  const parsed = MODELS[id].configSchema.safeParse(model);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => `config.${pathOf(issue.path)}: ${issue.message}`));
  }
  return problems;
};
