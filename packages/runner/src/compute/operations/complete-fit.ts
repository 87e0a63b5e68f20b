/** What train and refit do after the fit: forecasts, test part, interpretation (TFT), cross-validation, saved model. */
import type { CrossValidationRow, ForecastRow } from '@nflab/engine';
import type { Fitted } from '../fit.js';
import { describeModel, saveModel } from '../fitted-model.js';
import { crossValidate, forecastBeyond, forecastTestPart } from '../forecasts.js';
import { interpretFitted } from '../interpretation.js';
import type { OperationContext, OperationResult } from './types.js';

/** Forecasts with the fitted model (or rolls it over the test part), cross-validates when the spec asks, saves it. */
export const completeFit = async (fitted: Fitted, context: OperationContext): Promise<OperationResult> => {
  const { job, hooks, sizes, alone, notes } = context;
  const nf = fitted.nf;
  try {
    let test: CrossValidationRow[] = [];
    let forecasts: ForecastRow[];
    if (sizes.testSize > 0) {
      // The forecast right after the training data is the first test window's.
      const rolled = await alone(() => forecastTestPart(nf, job, sizes.testSize));
      test = rolled.rows;
      forecasts = rolled.first;
      notes.push(`test part: ${sizes.testSize} rows per series held out, ${test.length} rolling forecasts`);
    } else {
      forecasts = await alone(() => forecastBeyond(nf, job, notes));
    }
    // Before cross-validation, which may refit: the weights are the run's fitted model's.
    const interpretation = await alone(() => interpretFitted(nf, notes));
    let cv: CrossValidationRow[] = [];
    const crossValidation = job.spec.cross_validation;
    if (crossValidation !== null) {
      const config = fitted.config;
      cv = await alone(() =>
        crossValidate(
          job,
          config,
          {
            nWindows: crossValidation.n_windows,
            stepSize: crossValidation.step_size,
            refit: crossValidation.refit,
            valSize: sizes.valSize,
          },
          hooks,
        ),
      );
    }
    const files = await saveModel(nf, job);
    const modelProperties = await describeModel(job, nf, files);
    return {
      modelColumn: modelProperties.label,
      searchSpace: fitted.searchSpace ?? null,
      config: fitted.config,
      validLoss: fitted.validLoss,
      forecasts,
      test,
      cv,
      modelProperties,
      files,
      ...(interpretation ? { interpretation } : {}),
    };
  } finally {
    nf.dispose();
  }
};
