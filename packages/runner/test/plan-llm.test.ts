/**
 * A run's language model (TimeLLM's `llm`) is the name of a directory under NFLAB_LLM_DIR: the plan
 * refuses paths, names outside the root and an unset root, naming config.llm, and the runner hands
 * the engine the resolved directory.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseRunSpec } from '@nflab/contracts';
import { autoModelOptions, llmProblem, planSweep, plainModelConfig } from '@nflab/runner';

const base = { loto: 'loto6', unique_ids: ['N1'], h: 2, max_steps: 4 } as const;
const noExog = { futr: [], hist: [], stat: [] } as const;
let root: string;
let outside: string;
let env: Record<string, string>;

beforeAll(() => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'nf-plan-llm-'));
  root = path.join(tmp, 'models');
  outside = path.join(tmp, 'secret');
  mkdirSync(path.join(root, 'gpt2'), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, path.join(root, 'escape'));
  env = { NFLAB_LLM_DIR: root };
});
afterAll(() => rmSync(path.dirname(root), { recursive: true, force: true }));

const spec = (config: Record<string, unknown>, model = 'timellm') =>
  parseRunSpec({ ...base, model, config: { input_size: 8, ...config } });

describe("a run's language-model directory", () => {
  it('accepts a directory name under NFLAB_LLM_DIR and resolves it for the engine', () => {
    expect(llmProblem(spec({ llm: 'gpt2' }), env)).toBeUndefined();
    const previous = process.env.NFLAB_LLM_DIR;
    process.env.NFLAB_LLM_DIR = root;
    try {
      expect(plainModelConfig(spec({ llm: 'gpt2' }), noExog).llm).toBe(path.join(root, 'gpt2'));
      const auto = parseRunSpec({ ...base, model: 'auto_timellm', config: { llm: 'gpt2' } });
      expect(autoModelOptions(auto, noExog, 1).config).toMatchObject({ llm: path.join(root, 'gpt2') });
    } finally {
      if (previous === undefined) delete process.env.NFLAB_LLM_DIR;
      else process.env.NFLAB_LLM_DIR = previous;
    }
  });

  it('refuses paths, missing and escaping directories, an unset root and a searched llm, naming config.llm', () => {
    const problem = (config: Record<string, unknown>, e: Record<string, string> = env) =>
      llmProblem(spec(config), e);
    expect(problem({ llm: '/etc' })).toMatch(
      /^config\.llm: "\/etc" is not a directory name; .*never a path$/,
    );
    expect(problem({ llm: '../secret' })).toMatch(/^config\.llm: "\.\.\/secret" is not a directory name/);
    expect(problem({ llm: '..' })).toMatch(/is not a directory name/);
    expect(problem({ llm: 'gpt2/../../secret' })).toMatch(/is not a directory name/);
    expect(problem({ llm: 'missing' })).toBe(
      "config.llm: there is no directory 'missing' under NFLAB_LLM_DIR; give the name of a directory under NFLAB_LLM_DIR holding a Hugging Face checkpoint (e.g. 'gpt2')",
    );
    expect(problem({ llm: 'escape' })).toMatch(/^config\.llm: 'escape' leads outside NFLAB_LLM_DIR/);
    expect(problem({})).toMatch(/^config\.llm: required; give the name of a directory under NFLAB_LLM_DIR/);
    expect(problem({ llm: 'gpt2' }, {})).toMatch(
      /^config\.llm: this lab reads language models only from under NFLAB_LLM_DIR, which is not set/,
    );
    const searched = parseRunSpec({
      ...base,
      model: 'auto_timellm',
      search_space: {
        input_size: { kind: 'fixed', value: 4 },
        llm: { kind: 'categorical', choices: ['gpt2', 'x'] },
      },
    });
    expect(llmProblem(searched, env)).toMatch(/^search_space\.llm: the language model is not searched/);
    // Models that read no language model are not concerned.
    expect(llmProblem(spec({}, 'nhits'), {})).toBeUndefined();
    expect(() => plainModelConfig(spec({ llm: '/etc' }), noExog)).toThrow(ConfigError);
  });

  it('refuses such a run at plan time with the reason', async () => {
    const plan = await planSweep({
      ...base,
      mode: 'list',
      runs: [{ model: 'timellm', config: { input_size: 8, llm: '/etc/passwd' } }],
    });
    expect(plan.count).toBe(0);
    expect(plan.invalid.map((i) => i.reasons)).toEqual([
      [expect.stringMatching(/^config\.llm: "\/etc\/passwd" is not a directory name/)],
    ]);
  });
});
