import { describe, expect, test } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import {
  equinoxDay,
  isJapaneseHoliday,
  japaneseHolidayName,
  japaneseHolidaysBetween,
  japaneseHolidaysOfYear,
} from '@nflab/store';

// Known days from the Cabinet Office's published list (内閣府「国民の祝日について」).
const KNOWN: readonly (readonly [string, string | undefined])[] = [
  ['1989-02-24', '昭和天皇の大喪の礼'],
  ['1990-11-12', '即位礼正殿の儀'],
  ['1990-09-24', '振替休日'],
  ['1993-06-09', '皇太子徳仁親王の結婚の儀'],
  ['1988-05-04', '国民の休日'],
  ['1997-05-04', undefined], // a Sunday between two holidays stayed a Sunday before 2007
  ['1998-05-04', '振替休日'],
  ['1999-01-15', '成人の日'],
  ['2000-01-10', '成人の日'], // Happy Monday from 2000
  ['2000-01-15', undefined],
  ['2002-07-20', '海の日'],
  ['2003-07-21', '海の日'], // third Monday from 2003
  ['2003-09-15', '敬老の日'],
  ['2006-04-29', 'みどりの日'],
  ['2006-05-04', '国民の休日'],
  ['2007-04-29', '昭和の日'],
  ['2007-05-04', 'みどりの日'],
  ['2008-05-06', '振替休日'], // 5/4 Sunday → first non-holiday after it (2007 rule)
  ['2009-09-22', '国民の休日'],
  ['2015-08-11', undefined],
  ['2015-09-22', '国民の休日'],
  ['2016-08-11', '山の日'],
  ['2018-12-23', '天皇誕生日'],
  ['2018-12-24', '振替休日'],
  ['2019-04-30', '国民の休日'],
  ['2019-05-01', '天皇の即位の日'],
  ['2019-05-02', '国民の休日'],
  ['2019-10-22', '即位礼正殿の儀'],
  ['2019-12-23', undefined],
  ['2019-10-14', '体育の日'],
  ['2020-02-23', '天皇誕生日'],
  ['2020-02-24', '振替休日'],
  ['2020-07-20', undefined],
  ['2020-07-23', '海の日'],
  ['2020-07-24', 'スポーツの日'],
  ['2020-08-10', '山の日'],
  ['2020-08-11', undefined],
  ['2020-10-12', undefined],
  ['2021-07-22', '海の日'],
  ['2021-07-23', 'スポーツの日'],
  ['2021-08-08', '山の日'],
  ['2021-08-09', '振替休日'],
  ['2021-10-11', undefined],
  ['2022-10-10', 'スポーツの日'],
  ['2024-02-12', '振替休日'],
  ['2024-09-22', '秋分の日'],
  ['2024-09-23', '振替休日'],
  ['2026-09-22', '国民の休日'],
  ['2024-02-13', undefined],
];

describe('Japanese holidays', () => {
  test.each(KNOWN)('%s → %s', (ds, name) => {
    expect(japaneseHolidayName(ds)).toBe(name);
    expect(isJapaneseHoliday(ds)).toBe(name !== undefined);
  });

  test('whole years match the published lists (2019 abdication year, 2020 Olympic year)', () => {
    // prettier-ignore
    expect(japaneseHolidaysOfYear(2019).map((h) => h.ds.slice(5))).toEqual([
      '01-01', '01-14', '02-11', '03-21', '04-29', '04-30', '05-01', '05-02', '05-03', '05-04', '05-05',
      '05-06', '07-15', '08-11', '08-12', '09-16', '09-23', '10-14', '10-22', '11-03', '11-04', '11-23',
    ]);
    // prettier-ignore
    expect(japaneseHolidaysOfYear(2020).map((h) => h.ds.slice(5))).toEqual([
      '01-01', '01-13', '02-11', '02-23', '02-24', '03-20', '04-29', '05-03', '05-04', '05-05', '05-06',
      '07-23', '07-24', '08-10', '09-21', '09-22', '11-03', '11-23',
    ]);
  });

  test('equinox days follow the published dates', () => {
    const vernal = { 1990: 21, 2012: 20, 2023: 21, 2024: 20, 2025: 20, 1979: 21 };
    const autumnal = { 1990: 23, 2012: 22, 2015: 23, 2023: 23, 2024: 22, 2025: 23, 1979: 24 };
    for (const [year, day] of Object.entries(vernal)) expect(equinoxDay(Number(year), 'vernal')).toBe(day);
    for (const [year, day] of Object.entries(autumnal))
      expect(equinoxDay(Number(year), 'autumnal')).toBe(day);
  });

  test('between is inclusive, ascending and spans years', () => {
    const span = japaneseHolidaysBetween('2023-12-23', '2024-01-08');
    expect(span).toEqual([
      { ds: '2024-01-01', name: '元日' },
      { ds: '2024-01-08', name: '成人の日' },
    ]);
    expect(japaneseHolidaysBetween('2000-01-01', '2024-12-31').length).toBeGreaterThan(24 * 15);
  });

  test('every supported year computes, with a plausible count of distinct days', () => {
    for (let year = 1949; year <= 2099; year += 1) {
      const days = japaneseHolidaysOfYear(year);
      expect(days.length).toBeGreaterThanOrEqual(9);
      expect(days.length).toBeLessThanOrEqual(22);
      expect(new Set(days.map((d) => d.ds)).size).toBe(days.length);
      expect(days.every((d) => d.ds.startsWith(`${year}-`))).toBe(true);
    }
  });

  test('rejects malformed days and years out of range', () => {
    expect(() => isJapaneseHoliday('2024-02-30')).toThrow(ConfigError);
    expect(() => isJapaneseHoliday('1900-01-01')).toThrow(/year must be an integer in \[1949, 2099\]/);
    expect(() => japaneseHolidaysBetween('2024-02-01', '2024-01-01')).toThrow(/from must not be after to/);
  });
});
