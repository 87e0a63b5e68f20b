import { ENSEMBLE_METHODS, RUN_STATUS_IDS } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { DICTIONARY } from '../../src/i18n/dictionary.js';
import { createFormat } from '../../src/i18n/format.js';
import { differingKeys, flatten } from '../../src/lib/flatten.js';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();

describe('dictionary', () => {
  it('gives every Japanese label the same placeholders as its English one, and none is empty', () => {
    for (const [key, english] of Object.entries(DICTIONARY.en)) {
      const japanese = DICTIONARY.ja[key as keyof typeof DICTIONARY.en];
      expect(japanese.trim(), key).not.toBe('');
      expect(placeholders(japanese), key).toEqual(placeholders(english));
    }
  });
});

describe('labels keyed by a contracts id list', () => {
  it('has a status label for every run status the contracts list, and none for others', () => {
    const statusKeys = Object.keys(DICTIONARY.en).filter((key) => key.startsWith('status.'));
    expect(statusKeys.sort()).toEqual(RUN_STATUS_IDS.map((id) => `status.${id}`).sort());
  });

  it('has a method label for every ensemble method the contracts list, and none for others', () => {
    const methodKeys = Object.keys(DICTIONARY.en).filter((key) => key.startsWith('ensemble.method.'));
    expect(methodKeys.sort()).toEqual(ENSEMBLE_METHODS.map((id) => `ensemble.method.${id}`).sort());
  });
});

describe('format', () => {
  it('formats numbers and sizes per locale and shows a dash for missing values', () => {
    const en = createFormat('en');
    expect(en.integer(1234567)).toBe('1,234,567');
    expect(en.number('0.123456', 3)).toBe('0.123');
    expect(en.bytes(1536)).toBe('1.5 KiB');
    expect(en.duration(90)).toBe('1 min 30 s');
    expect(en.number(null)).toBe('—');
    expect(en.date('not a date')).toBe('—');
  });

  it('keeps draw days as calendar days whatever the time zone', () => {
    expect(createFormat('en').date('2020-07-09')).toContain('9');
    expect(createFormat('ja').date('2020-07-09')).toBe('2020/07/09');
  });
});

describe('flatten', () => {
  it('dots nested keys, keeps arrays as leaves and finds differing keys', () => {
    const a = flatten({ spec: { h: 1, ids: ['N1'] }, best: { lr: 0.1 } });
    const b = flatten({ spec: { h: 2, ids: ['N1'] } });
    expect(a).toEqual({ 'spec.h': 1, 'spec.ids': ['N1'], 'best.lr': 0.1 });
    expect([...differingKeys([a, b])].sort()).toEqual(['best.lr', 'spec.h']);
  });
});
