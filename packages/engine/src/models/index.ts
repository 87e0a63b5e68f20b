/** The models and their registry (model internals are imported from their folders, not re-exported). */
export * from './registry.js';
export * from './base-space.js';
export { mlp, mlpConfigSchema, type MlpConfig } from './mlp/mlp.js';
export { nhits, nhitsConfigSchema, type NhitsConfig } from './nhits/nhits.js';
export { nbeats, nbeatsConfigSchema, NBEATS_STACK_TYPES, type NbeatsConfig } from './nbeats/nbeats.js';
export { TREND_BASES, type TrendBasisKind } from './nbeats/trend-basis.js';
export { nbeatsx, nbeatsxConfigSchema, NBEATSX_STACK_TYPES, type NbeatsxConfig } from './nbeatsx/nbeatsx.js';
export { dlinear, dlinearConfigSchema, type DlinearConfig } from './dlinear/dlinear.js';
export { nlinear, nlinearConfigSchema, type NlinearConfig } from './nlinear/nlinear.js';
export { tide, tideConfigSchema, type TideConfig } from './tide/tide.js';
export { POOLING_MODES, type PoolingMode } from './nhits/pooling.js';
export { INTERPOLATION_MODES, type InterpolationMode } from './nhits/interpolation.js';
export { nSeriesSchema, toSeriesRowsNetwork } from './multivariate.js';
export {
  mlpmultivariate,
  mlpMultivariateConfigSchema,
  type MlpMultivariateConfig,
} from './mlpmultivariate/mlpmultivariate.js';
export { tsmixer, tsmixerConfigSchema, type TsmixerConfig } from './tsmixer/tsmixer.js';
export { tsmixerx, tsmixerxConfigSchema, type TsmixerxConfig } from './tsmixerx/tsmixerx.js';
export { rmok, rmokConfigSchema, type RmokConfig } from './rmok/rmok.js';
export { xlinear, xlinearConfigSchema, type XlinearConfig } from './xlinear/xlinear.js';
export { timemixer, timemixerConfigSchema, type TimemixerConfig } from './timemixer/timemixer.js';
export {
  itransformer,
  itransformerConfigSchema,
  type ItransformerConfig,
} from './itransformer/itransformer.js';
export { softs, softsConfigSchema, type SoftsConfig } from './softs/softs.js';
export { softssharp, softsSharpConfigSchema, type SoftsSharpConfig } from './softssharp/softssharp.js';
export { timexer, timexerConfigSchema, type TimexerConfig } from './timexer/timexer.js';
export { timellm, timellmConfigSchema, type TimellmConfig } from './timellm/timellm.js';
export { stemgnn, stemgnnConfigSchema, type StemgnnConfig } from './stemgnn/stemgnn.js';
