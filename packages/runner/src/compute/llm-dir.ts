/**
 * Where the runner lets a run read a language model from. A model like TimeLLM reads a checkpoint
 * directory named by its `llm` config key; a spec comes from the API, so a path there would let any
 * caller make the server read any directory. The runner takes only the name of a directory under
 * one root the operator configures (NFLAB_LLM_DIR) and hands the engine the resolved path.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { baseModelId, ConfigError, type RunSpec } from '@nflab/contracts';

/** The environment variable naming the directory whose subdirectories hold language-model checkpoints. */
export const LLM_ROOT_ENV = 'NFLAB_LLM_DIR';

/** Models whose config names a language-model directory in `llm`. */
export const LLM_MODEL_IDS: ReadonlySet<string> = new Set(['timellm']);

/** A directory name: no separators, no leading dot (so neither '.', '..' nor hidden directories). */
const DIRECTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A value the run fixes: a plain config value or a `{ kind: 'fixed' }` search entry's value. */
const fixedValue = (value: unknown): unknown => {
  const entry = value as { kind?: unknown; value?: unknown } | null | undefined;
  return typeof entry === 'object' && entry !== null && entry.kind === 'fixed' ? entry.value : value;
};

/**
 * Resolves `name` to the directory `<root>/<name>`, or returns why it cannot be read: the root is
 * unset, the name is a path rather than a directory name, or no such directory exists there.
 */
const resolve = (
  name: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { dir: string } | { problem: string } => {
  const root = env[LLM_ROOT_ENV];
  const how = `give the name of a directory under ${LLM_ROOT_ENV} holding a Hugging Face checkpoint (e.g. 'gpt2')`;
  if (name === undefined) return { problem: `config.llm: required; ${how}` };
  if (typeof name !== 'string' || !DIRECTORY_NAME.test(name)) {
    return { problem: `config.llm: ${JSON.stringify(name)} is not a directory name; ${how}, never a path` };
  }
  if (root === undefined || root.trim() === '') {
    return {
      problem: `config.llm: this lab reads language models only from under ${LLM_ROOT_ENV}, which is not set; the operator sets it to the directory holding downloaded checkpoints (e.g. ~/models with ~/models/gpt2)`,
    };
  }
  const dir = path.join(root, name);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { problem: `config.llm: there is no directory '${name}' under ${LLM_ROOT_ENV}; ${how}` };
  }
  // A symbolic link may point elsewhere; only what stays under the root is read.
  const realRoot = realpathSync(root);
  const real = realpathSync(dir);
  if (!real.startsWith(`${realRoot}${path.sep}`)) {
    return { problem: `config.llm: '${name}' leads outside ${LLM_ROOT_ENV}; ${how}` };
  }
  return { dir: real };
};

/** Why a run's `llm` cannot be read, or undefined (also for models that read no language model). */
export const llmProblem = (
  spec: Pick<RunSpec, 'model' | 'config' | 'search_space'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined => {
  if (!LLM_MODEL_IDS.has(baseModelId(spec.model))) return undefined;
  if (spec.search_space !== undefined && 'llm' in spec.search_space) {
    return 'search_space.llm: the language model is not searched; set config.llm to a directory name';
  }
  const outcome = resolve(fixedValue(spec.config.llm), env);
  return 'problem' in outcome ? outcome.problem : undefined;
};

/**
 * The `llm` key a run's model config gets: the resolved directory under NFLAB_LLM_DIR for models
 * that read a language model (a ConfigError naming config.llm otherwise), nothing for the rest.
 */
export const llmKeys = (
  spec: Pick<RunSpec, 'model' | 'config' | 'search_space'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { llm?: string } => {
  if (!LLM_MODEL_IDS.has(baseModelId(spec.model))) return {};
  const problem = llmProblem(spec, env);
  if (problem !== undefined) throw new ConfigError(problem);
  const outcome = resolve(fixedValue(spec.config.llm), env);
  return 'dir' in outcome ? { llm: outcome.dir } : {};
};
