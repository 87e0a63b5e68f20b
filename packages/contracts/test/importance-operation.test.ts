/** The importance operation's options: defaults, caps, and errors naming the field. */
import { describe, expect, test } from 'vitest';
import { IMPORTANCE_LIMITS, InputError, parseInput, runOperationSchema } from '@nflab/contracts';

const parse = (value: unknown) => parseInput(runOperationSchema, value, 'operation');

const issuesOf = (value: unknown): { path: string; message: string }[] => {
  try {
    parse(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).issues];
  }
  throw new Error('expected a ConfigError');
};

describe('importance operation', () => {
  test('each method fills its own defaults', () => {
    expect(parse({ kind: 'importance', method: 'permutation' })).toEqual({
      kind: 'importance',
      method: 'permutation',
      repeats: 10,
      seed: 0,
      max_windows: 50,
    });
    expect(parse({ kind: 'importance', method: 'kernel_shap' })).toMatchObject({ nsamples: 'auto' });
    expect(parse({ kind: 'importance', method: 'integrated_gradients', steps: 8 })).toMatchObject({
      steps: 8,
      max_windows: 50,
    });
  });

  test('an unknown method, a value over its cap and an option of another method name the field', () => {
    expect(issuesOf({ kind: 'importance', method: 'lime' })[0]?.path).toBe('operation.method');
    const over = issuesOf({
      kind: 'importance',
      method: 'permutation',
      repeats: IMPORTANCE_LIMITS.maxRepeats + 1,
    });
    expect(over[0]?.path).toBe('operation.repeats');
    expect(over[0]?.message).toContain(String(IMPORTANCE_LIMITS.maxRepeats));
    const windows = issuesOf({ kind: 'importance', method: 'kernel_shap', max_windows: 10_000 });
    expect(windows[0]?.path).toBe('operation.max_windows');
    expect(issuesOf({ kind: 'importance', method: 'kernel_shap', nsamples: 0 })[0]?.path).toBe(
      'operation.nsamples',
    );
    expect(issuesOf({ kind: 'importance', method: 'permutation', steps: 10 })[0]?.message).toContain(
      '"steps"',
    );
  });
});
