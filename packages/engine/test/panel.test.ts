import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { buildPanel, formatTime, futureTimes, parseTime } from '../src/data/index.js';

describe('buildPanel', () => {
  it('sorts by unique_id then ds and splits masks for missing y', () => {
    const panel = buildPanel({
      freq: 'D',
      data: [
        { unique_id: 'b', ds: '2024-01-02', y: 4, x: 1 },
        { unique_id: 'a', ds: '2024-01-02', y: null, x: 2 },
        { unique_id: 'a', ds: '2024-01-01', y: 1, x: 3 },
        { unique_id: 'b', ds: '2024-01-01', y: 3, x: 4 },
      ],
    });
    expect(panel.series.map((s) => s.id)).toEqual(['a', 'b']);
    const a = panel.series[0]!;
    expect([...a.y]).toEqual([1, 0]);
    expect([...a.mask]).toEqual([1, 0]);
    expect([...a.exog.x!]).toEqual([3, 2]);
    expect(panel.exogColumns).toEqual(['x']);
  });

  it('accepts columns and a static frame', () => {
    const panel = buildPanel({
      freq: 1,
      data: { unique_id: ['s', 's', 's'], ds: [3, 1, 2], y: [30, 10, 20] },
      staticRows: [{ unique_id: 's', stat_a: 5 }],
    });
    expect([...panel.series[0]!.y]).toEqual([10, 20, 30]);
    expect(panel.static.s).toEqual({ stat_a: 5 });
  });

  it('rejects a gap naming the series and the dates, or fills it with NaN on request', () => {
    const data = [
      { unique_id: 'u1', ds: '2024-01-31', y: 1 },
      { unique_id: 'u1', ds: '2024-03-31', y: 3 },
    ];
    expect(() => buildPanel({ freq: 'M', data })).toThrow(ConfigError);
    expect(() => buildPanel({ freq: 'M', data })).toThrow(
      /series 'u1' has a gap: after 2024-01-31 the next ds is 2024-03-31, expected 2024-02-29/,
    );
    const filled = buildPanel({ freq: 'M', data, missing: 'fill-nan' }).series[0]!;
    expect(filled.time.length).toBe(3);
    expect([...filled.mask]).toEqual([1, 0, 1]);
    expect(formatTime('M', filled.time[1]!)).toBe('2024-02-29');
  });

  it('rejects dates off the frequency grid and duplicates', () => {
    expect(() => buildPanel({ freq: 'M', data: [{ unique_id: 'a', ds: '2024-01-01', y: 1 }] })).toThrow(
      /month end/,
    );
    expect(() => buildPanel({ freq: 'W-THU', data: [{ unique_id: 'a', ds: '2024-01-01', y: 1 }] })).toThrow(
      /THU/,
    );
    expect(() =>
      buildPanel({
        freq: 'D',
        data: [
          { unique_id: 'a', ds: '2024-01-01', y: 1 },
          { unique_id: 'a', ds: '2024-01-01', y: 2 },
        ],
      }),
    ).toThrow(/two rows/);
  });

  it('keeps irregular draws as an ordered index without gap checks', () => {
    const panel = buildPanel({
      freq: 'irregular',
      data: [
        { unique_id: 'N1', ds: '2024-01-04', y: 1 },
        { unique_id: 'N1', ds: '2024-01-08', y: 2 },
        { unique_id: 'N1', ds: '2024-01-11', y: 3 },
      ],
    });
    expect(panel.series[0]!.time.length).toBe(3);
  });
});

describe('futureTimes', () => {
  const t = (s: string): number => parseTime('D', s);
  const fmt = (xs: number[], freq: 'M' | 'MS' | 'D' | 'H' | 'W-THU' | 'irregular'): (string | number)[] =>
    xs.map((x) => formatTime(freq, x));

  it('steps month ends, month starts, weeks, days and hours', () => {
    expect(fmt(futureTimes({ freq: 'M', times: [t('2024-01-31')], h: 2 }), 'M')).toEqual([
      '2024-02-29',
      '2024-03-31',
    ]);
    expect(fmt(futureTimes({ freq: 'MS', times: [t('2024-12-01')], h: 2 }), 'MS')).toEqual([
      '2025-01-01',
      '2025-02-01',
    ]);
    expect(fmt(futureTimes({ freq: 'W-THU', times: [t('2024-01-04')], h: 1 }), 'W-THU')).toEqual([
      '2024-01-11',
    ]);
    expect(fmt(futureTimes({ freq: 'D', times: [t('2024-02-28')], h: 2 }), 'D')).toEqual([
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(
      fmt(futureTimes({ freq: 'H', times: [parseTime('H', '2024-01-01 23:00:00')], h: 1 }), 'H'),
    ).toEqual(['2024-01-02 00:00:00']);
    expect(futureTimes({ freq: 3, times: [1, 4], h: 2 })).toEqual([7, 10]);
  });

  it('continues the observed weekday pattern of irregular draws, or reads a calendar', () => {
    // Mondays and Thursdays, as loto6 draws.
    const times = ['2024-01-01', '2024-01-04', '2024-01-08', '2024-01-11'].map(t);
    expect(fmt(futureTimes({ freq: 'irregular', times, h: 3 }), 'irregular')).toEqual([
      '2024-01-15',
      '2024-01-18',
      '2024-01-22',
    ]);
    const calendar = ['2024-01-16', '2024-01-19'].map(t);
    expect(fmt(futureTimes({ freq: 'irregular', times, h: 2, calendar }), 'irregular')).toEqual([
      '2024-01-16',
      '2024-01-19',
    ]);
    expect(() => futureTimes({ freq: 'irregular', times, h: 3, calendar })).toThrow(/calendar has 2 dates/);
  });
});
