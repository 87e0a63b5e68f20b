/** What a fitted run leaves: its saved files and the description of its model. */
import { ConfigError } from '@nflab/contracts';
import type { NeuralForecast } from '@nflab/engine';
import type { ComputeJob, ModelProperties, WrittenFile } from './compute-types.js';
import { describeFiles, digestOf } from './model-files.js';

/** What the fitted model is (its files' size and digest when it was saved). */
export const describeModel = async (
  job: ComputeJob,
  nf: NeuralForecast,
  files: readonly WrittenFile[],
): Promise<ModelProperties> => {
  const model = nf.models[0];
  if (!model?.network) throw new ConfigError('the fitted forecaster has no trained network');
  const variables = model.network.variables.map((v) => ({ name: v.name, shape: [...v.shape] }));
  return {
    model: model.entry.id,
    label: model.name,
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
export const saveModel = async (nf: NeuralForecast, job: ComputeJob): Promise<WrittenFile[]> => {
  await nf.save(job.modelDir);
  return describeFiles(job.modelDir);
};
