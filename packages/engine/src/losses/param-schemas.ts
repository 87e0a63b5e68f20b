/** Zod pieces shared by the losses' parameter schemas, with messages that say what is allowed. */
import { z } from 'zod';

/** A probability strictly between 0 and 1 (a quantile). */
export const quantileSchema = z
  .number({ error: 'must be a number strictly between 0 and 1' })
  .gt(0, { error: 'must be strictly between 0 and 1' })
  .lt(1, { error: 'must be strictly between 0 and 1' });

/** Confidence levels in percent, strictly between 0 and 100; NeuralForecast's default is [80, 90]. */
export const levelSchema = z
  .array(
    z
      .number({ error: 'must hold numbers strictly between 0 and 100' })
      .gt(0, { error: 'must hold levels strictly between 0 and 100' })
      .lt(100, { error: 'must hold levels strictly between 0 and 100' }),
    { error: 'must be a list of levels (percent) such as [80, 90]' },
  )
  .min(1, { error: 'must hold at least one level' });

/** A list of quantiles, each strictly between 0 and 1. */
export const quantilesSchema = z
  .array(quantileSchema, { error: 'must be a list of quantiles such as [0.1, 0.5, 0.9]' })
  .min(1, { error: 'must hold at least one quantile' });

/** A seasonal period: a positive integer. */
export const seasonalitySchema = z
  .number({ error: 'must be a positive integer (season length in steps)' })
  .int({ error: 'must be a positive integer (season length in steps)' })
  .min(1, { error: 'must be a positive integer (season length in steps)' });

/** A strictly positive number. */
export const positiveSchema = z
  .number({ error: 'must be a positive number' })
  .gt(0, { error: 'must be a positive number' });
