import { describe, expect, test } from 'vitest';
import { decodeJoinedNumbers, epochDaysToIso } from '../src/panel/joined-values.js';

describe('panel column decoders', () => {
  test('days since 1970 print as the same ISO day Date prints, leap days and far years included', () => {
    const days = [-719_528, -25_508, -1, 0, 59, 10_956, 11_016, 11_017, 2_932_896, 2_932_897, -719_529];
    const expected = days.map((day) => {
      const iso = new Date(day * 86_400_000).toISOString();
      return iso.slice(0, iso.indexOf('T'));
    });
    expect(epochDaysToIso(Float64Array.from(days))).toEqual(expected);
    expect(expected).toContain('2000-02-29');
    expect(expected).toContain('9999-12-31');
    expect(expected).toContain('+010000-01-01');
    expect(epochDaysToIso(Float64Array.from([Number.NaN, 0, 0]))).toEqual(['', '1970-01-01', '1970-01-01']);
  });

  test('series texts decode into their slice of one column', () => {
    const out = new Float64Array(5).fill(7);
    decodeJoinedNumbers('1,,3', out, 1, 3);
    decodeJoinedNumbers(null, out, 4, 1);
    expect(Array.from(out)).toEqual([7, 1, Number.NaN, 3, Number.NaN]);
  });
});
