/** Turns the bytes of a results file into text, whichever encoding the publisher used. */

/** Encodings the importer recognises. */
export type TextEncodingName = 'utf-8' | 'shift_jis';

/** Decoded text and the encoding it was found to be in. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Decodes UTF-8 (with or without BOM) or Shift_JIS. Official results are published in Shift_JIS
 * (WHATWG's `shift_jis` decoder is Windows-31J/cp932, which is what Japanese Windows writes), while
 * files re-saved by users are often UTF-8. Valid UTF-8 is tried first because Japanese text in
 * Shift_JIS is practically never valid UTF-8, whereas the reverse guess would garble UTF-8.
 */
export const decodeText = (bytes: Uint8Array): DecodedText => {
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  if (hasBom) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('shift_jis').decode(bytes), encoding: 'shift_jis' };
  }
};
