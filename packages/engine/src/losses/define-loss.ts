/** The registry entry of one loss: ids, its parameter schema and a factory. */
import type { z } from 'zod';
import type { Loss } from './types.js';

/** One member of the `LOSSES` registry. */
export interface LossEntry<Schema extends z.ZodObject = z.ZodObject> {
  /** Persisted id, lowercase NeuralForecast class name (`'mqloss'`); equals its registry key. */
  readonly id: string;
  /** NeuralForecast class name (`'MQLoss'`). */
  readonly label: string;
  /** One line for the API and the UI. */
  readonly description: string;
  /** Parameters with NeuralForecast's names and defaults; unknown keys are rejected. */
  readonly paramsSchema: Schema;
  /** Builds the loss from parsed parameters. */
  create(params: z.output<Schema>): Loss;
}

/** Identity helper that keeps each entry's parameter type precise. */
export function defineLoss<Schema extends z.ZodObject>(entry: LossEntry<Schema>): LossEntry<Schema> {
  return entry;
}
