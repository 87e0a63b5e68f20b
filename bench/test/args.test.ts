import { afterEach, describe, expect, it } from 'vitest';
import { flag, has, numberFlag, overrides } from '../lib/args.js';

const saved = process.argv;
const withArgs = (...args: string[]): void => {
  process.argv = ['node', 'bench/x.ts', ...args];
};
afterEach(() => {
  process.argv = saved;
});

describe('bench command-line arguments', () => {
  it('reads flags with fallbacks, numbers and switches as the scripts read them by hand', () => {
    withArgs('--model', 'lstm', '--steps', '2', '--kernels', '--rounds');
    expect(flag('model', 'tft')).toBe('lstm');
    expect(flag('out', '/tmp/x.json')).toBe('/tmp/x.json');
    expect(numberFlag('steps', 30)).toBe(2);
    expect(numberFlag('batch', 1024)).toBe(1024);
    expect(numberFlag('rounds', 5)).toBe(5); // last, with nothing after it
    expect(has('kernels')).toBe(true);
    expect(has('shapes')).toBe(false);
  });

  it('parses --set overrides as JSON where they are JSON and as strings elsewhere', () => {
    withArgs('--set', 'dropout=0,flag=true,activation=gelu,expr=a=b,junk,hidden=[64]');
    expect(overrides()).toEqual({ dropout: 0, flag: true, activation: 'gelu', expr: 'a=b', hidden: [64] });
    withArgs();
    expect(overrides()).toEqual({});
  });
});
