/** The saved model and configuration a model operation (predict / refit / cv) starts from. */
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { findParentModelRow, type Queryable } from '@nflab/store';
import type { JsonValue } from '@nflab/tune';
import type { ParentModel } from '../compute/compute-types.js';

interface ParentRow {
  status: string;
  best_params: Record<string, JsonValue> | null;
  model_properties: { modelDir?: string | null } | null;
}

/** The parent run's model; a clear error when the parent did not finish or saved no model. */
export const loadParentModel = async (db: Queryable, parentRunId: string): Promise<ParentModel> => {
  const row = (await findParentModelRow(db, parentRunId)) as ParentRow | undefined;
  if (!row) throw new NotFoundError(`parent run ${parentRunId} does not exist`);
  if (row.status !== 'finished')
    throw new ConfigError(
      `parent run ${parentRunId} is ${row.status}; model operations start from a finished run`,
    );
  const modelDir = row.model_properties?.modelDir;
  if (!modelDir || !row.best_params)
    throw new ConfigError(
      `parent run ${parentRunId} saved no model to load (predict, cv, importance and ensemble runs save none); start model operations from the run that trained the model`,
    );
  return { runId: parentRunId, modelDir, config: row.best_params };
};
