/** Inputs that must cost bounded work: deeply nested values in messages, and the combination limit setting. */
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, parseSweepSpec, resolveMaxCombinations } from '@nflab/contracts';

const nested = (depth: number, wrap: (inner: unknown) => unknown): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = wrap(value);
  return value;
};

describe('validation messages of deeply nested values', () => {
  const base = { loto: 'loto6', unique_ids: ['N1'], model: 'auto_nhits' };
  it.each([
    ['h', 'object', (inner: unknown) => ({ a: inner })],
    ['name', 'array', (inner: unknown) => [inner]],
    ['config', 'array', (inner: unknown) => [inner]],
  ] as const)('%s nested 100,000 deep in an %s: an InputError quoting a short preview', (field, _, wrap) => {
    const call = () => parseSweepSpec({ ...base, [field]: nested(100_000, wrap) });
    expect(call).toThrow(InputError);
    const message = (() => {
      try {
        call();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message.startsWith(`sweep.${field}`)).toBe(true);
    expect(message).toMatch(/\(got [[{].*…/);
    expect(message.length).toBeLessThan(300);
  });

  it('quotes a short value as JSON, whole', () => {
    expect(() => parseSweepSpec({ ...base, h: { a: [1, 'x'] } })).toThrow('(got {"a":[1,"x"]})');
  });
});

describe('resolveMaxCombinations', () => {
  it('takes the option, else the environment, else 10,000', () => {
    expect(resolveMaxCombinations('500', { NFLAB_MAX_COMBINATIONS: '7' })).toBe(500);
    expect(resolveMaxCombinations(undefined, { NFLAB_MAX_COMBINATIONS: '7' })).toBe(7);
    expect(resolveMaxCombinations(undefined, { NFLAB_MAX_COMBINATIONS: '' })).toBe(10_000);
    expect(resolveMaxCombinations(undefined, {})).toBe(10_000);
  });

  it.each([
    ['0', {}, '--max-combinations: must be an integer ≥ 1'],
    ['1e99', {}, '--max-combinations'],
    [
      undefined,
      { NFLAB_MAX_COMBINATIONS: 'lots' },
      'NFLAB_MAX_COMBINATIONS: must be an integer ≥ 1 (combinations per plan or sweep), got lots',
    ],
  ] as const)('refuses %s / %j naming where it came from', (given, env, message) => {
    expect(() => resolveMaxCombinations(given, env)).toThrow(ConfigError);
    expect(() => resolveMaxCombinations(given, env)).toThrow(message);
  });
});
