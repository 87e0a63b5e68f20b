/** What a fitted run leaves: its saved files and the description of its model. */
import { ConfigError } from '@nflab/contracts';
import { Hint, NeuralForecast } from '@nflab/engine';
import type { ComputeJob, ModelProperties, WrittenFile } from './compute-types.js';
import type { Forecaster } from './fit.js';
import { describeFiles, digestOf } from './model-files.js';

/** What the fitted model is (its files' size and digest when it was saved). */
export const describeModel = async (
  job: ComputeJob,
  forecaster: Forecaster,
  files: readonly WrittenFile[],
): Promise<ModelProperties> => {
  // HINT's network is its base model's; its forecast column is HINT's own.
  const model = (forecaster instanceof Hint ? forecaster.base : forecaster).models[0];
  if (!model?.network) throw new ConfigError('the fitted forecaster has no trained network');
  const variables = model.network.variables.map((v) => ({ name: v.name, shape: [...v.shape] }));
  return {
    model: model.entry.id,
    label: forecaster instanceof Hint ? forecaster.name : model.name,
    parameterCount: model.network.variables.reduce((sum, v) => sum + v.size, 0),
    variables,
    inputSize: model.common.input_size,
    h: model.common.h,
    exogenous: {
      futr: [...model.exog.futr],
      hist: [...model.exog.hist],
      stat: [...model.exog.stat],
    },
    modelDir: files.length > 0 ? job.modelDir : null,
    fileBytes: files.length > 0 ? files.reduce((sum, f) => sum + f.bytes, 0) : null,
    sha256: files.length > 0 ? digestOf(job.modelDir, files) : null,
  };
};

/** Saves the model to the job's model folder and lists the files written. */
// save creates the folder itself, so a save that fails (full disk) removes the folder with its partial files.
export const saveModel = async (forecaster: Forecaster, job: ComputeJob): Promise<WrittenFile[]> => {
  await forecaster.save(job.modelDir);
  return describeFiles(job.modelDir);
};

/** The forecaster a run saved in `dir`: a HINT save or a NeuralForecast's. */
export const loadForecaster = async (dir: string): Promise<Forecaster> =>
  (await Hint.isSaved(dir)) ? Hint.load(dir) : NeuralForecast.load(dir);
