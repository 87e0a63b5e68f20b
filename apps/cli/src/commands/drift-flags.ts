/**
 * Flag parsers shared by `nflab drift check` and `nflab monitor add`, which take the same
 * thresholds: each names its flag and the accepted values when it refuses one.
 */
import { ConfigError, P_ADJUST_METHODS, type PAdjustMethod } from '@nflab/contracts';

/** A comma-separated list, blanks dropped. */
export const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** `--p-value`: a probability in (0, 1). */
export const probability = (value: string): number => {
  const p = Number(value);
  if (!(p > 0 && p < 1))
    throw new ConfigError(`--p-value must be a number in (0, 1), got ${JSON.stringify(value)}`);
  return p;
};

/** `--psi`: a finite number > 0. */
export const positive = (value: string): number => {
  const x = Number(value);
  if (!(Number.isFinite(x) && x > 0))
    throw new ConfigError(`--psi must be a number > 0, got ${JSON.stringify(value)}`);
  return x;
};

/** `--correction`: one of the p-value adjustments. */
export const correction = (value: string): PAdjustMethod => {
  if (!(P_ADJUST_METHODS as readonly string[]).includes(value)) {
    throw new ConfigError(
      `--correction must be one of ${P_ADJUST_METHODS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as PAdjustMethod;
};
