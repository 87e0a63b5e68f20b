/**
 * Checks of a run's `config` against its model: every key is a common training key or one of the
 * model's own, and a plain model's config (trained as given, no search) parses, input_size
 * included — NeuralForecast has no model-independent default for it.
 */
import { isAutoModel, isLabError, type RunSpec } from '@nflab/contracts';
import { COMMON_KEYS, MODELS, parseCommonConfig, splitConfig, type ModelId } from '@nflab/engine';

/** The model-specific config keys, when the model's schema is an object schema. */
const modelKeysOf = (id: ModelId): string[] | undefined => {
  const shape = (MODELS[id].configSchema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? undefined : Object.keys(shape);
};

const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** Every config problem of a run whose model `id` is registered; empty when the config fits. */
export const checkRunConfig = (spec: RunSpec, id: ModelId): string[] => {
  const { common, model } = splitConfig(spec.config);
  const modelKeys = modelKeysOf(id);
  if (modelKeys !== undefined) {
    const unknown = Object.keys(model).filter((key) => !modelKeys.includes(key));
    if (unknown.length > 0) {
      return [
        `config: unknown key(s) ${unknown.join(', ')} for model '${id}'; allowed: ${modelKeys.join(', ')} ` +
          `and the common training keys (${COMMON_KEYS.join(', ')})`,
      ];
    }
  }
  // Auto models take search-space entries as config values; the engine checks those when it builds the space.
  if (isAutoModel(spec.model)) return [];
  const problems: string[] = [];
  if (common.input_size === undefined) {
    problems.push(
      `config.input_size: required for the plain model '${spec.model}' (an integer ≥ 1); use '${'auto_' + id}' to search it`,
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
