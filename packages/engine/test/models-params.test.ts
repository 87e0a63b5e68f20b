import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelDims, MultivariateDims } from '../src/model/types.js';
import { MODELS, getMultivariateModelSpec, type ModelId } from '../src/models/registry.js';
import { countParameters } from '../src/nn/params.js';
import { dims, useCpu } from './models-fixtures.js';

beforeAll(useCpu);

/** Parameters of model `id` built with its NeuralForecast defaults (plus `overrides`) for `d`. */
function parameterCount(id: ModelId, d: ModelDims, overrides: Record<string, unknown> = {}): number {
  const spec = MODELS[id];
  // The spec's schema parses its own overrides; the cast only widens the union of config types.
  const net = (spec.build as (c: unknown, d: ModelDims, s: number) => ReturnType<typeof spec.build>)(
    spec.configSchema.parse(overrides),
    d,
    1,
  );
  const count = countParameters(net.variables);
  net.dispose();
  return count;
}

// Reference: h = 12, input_size = 24, one output (MAE), NeuralForecast defaults. A dense layer
// Linear(i, o) holds i*o + o parameters. Counts equal `sum(p.numel() for p in model.parameters())`
// of the NeuralForecast model, derived from its architecture by hand below.
const reference = dims({ h: 12, inputSize: 24 });

describe('parameter counts equal NeuralForecast at h=12, input_size=24', () => {
  it('MLP (num_layers=2, hidden_size=1024)', () => {
    // Linear(24,1024) = 25_600; Linear(1024,1024) = 1_049_600; out Linear(1024,12) = 12_300.
    expect(parameterCount('mlp', reference)).toBe(25_600 + 1_049_600 + 12_300); // 1_087_500
    // With futr 2, hist 3, stat 1: input 24 + 3*24 + 2*(24+12) + 1 = 169 -> Linear(169,1024) = 174_080.
    expect(parameterCount('mlp', { ...reference, futrExogSize: 2, histExogSize: 3, statExogSize: 1 })).toBe(
      174_080 + 1_049_600 + 12_300,
    );
  });

  it('NHITS (3 identity stacks, mlp_units 3x[512,512], pools [2,2,1], downsample [4,2,1])', () => {
    // Each block: Linear(in,512) + 3 x Linear(512,512) [= 3 * 262_656 = 787_968] + Linear(512, n_theta).
    // Stack 0: in = ceil(24/2) = 12 -> 6_656; n_theta = 24 + 12//4 = 27 -> 13_851; block = 808_475.
    // Stack 1: in = 12 -> 6_656; n_theta = 24 + 12//2 = 30 -> 15_390; block = 810_014.
    // Stack 2: in = 24 -> 12_800; n_theta = 24 + 12 = 36 -> 18_468; block = 819_236.
    expect(parameterCount('nhits', reference)).toBe(808_475 + 810_014 + 819_236); // 2_437_725
    // PReLU adds one shared slope per block (NeuralForecast reuses one module per block).
    expect(parameterCount('nhits', reference, { activation: 'PReLU' })).toBe(2_437_725 + 3);
  });

  it('NBEATS (identity, trend, seasonality; n_basis=2, n_harmonics=2)', () => {
    // Trunk per block: Linear(24,512) = 12_800 + 787_968 hidden.
    // identity n_theta = 24 + 12 = 36 -> 18_468; trend n_theta = (1+1)*(2+1) = 6 -> 3_078;
    // seasonality n_theta = 2*(1+1)*(ceil(2/2*12) - (2-1)) = 44 -> 22_572.
    const trunk = 12_800 + 787_968;
    expect(parameterCount('nbeats', reference)).toBe(3 * trunk + 18_468 + 3_078 + 22_572); // 2_446_422
    // shared_weights: the second block of a stack reuses the first, adding nothing.
    expect(parameterCount('nbeats', reference, { n_blocks: [2, 1, 1], shared_weights: true })).toBe(
      2_446_422,
    );
    expect(parameterCount('nbeats', reference, { n_blocks: [2, 1, 1] })).toBe(2_446_422 + trunk + 18_468);
  });

  it('NBEATSx (defaults, and an exogenous stack)', () => {
    // Without exogenous columns NBEATSx equals NBEATS (n_polynomials=2 gives the same 3 trend functions).
    expect(parameterCount('nbeatsx', reference)).toBe(2_446_422);
    // futr 2 + stat 1, stacks [identity, exogenous], mlp_units [[8, 8]]:
    // block input = 24 + 2*(24+12) + 1 = 97 -> Linear(97,8) = 784, Linear(8,8) = 72;
    // identity head Linear(8, 36) = 324; exogenous head n_theta = 2*(2+1) = 6 -> Linear(8,6) = 54.
    expect(
      parameterCount(
        'nbeatsx',
        { ...reference, futrExogSize: 2, statExogSize: 1 },
        { stack_types: ['identity', 'exogenous'], n_blocks: [1, 1], mlp_units: [[8, 8]] },
      ),
    ).toBe(784 + 72 + 324 + (784 + 72 + 54));
  });

  it('DLinear and NLinear', () => {
    // Linear(24, 12) = 300; DLinear has one for the trend and one for the remainder.
    expect(parameterCount('dlinear', reference)).toBe(600);
    expect(parameterCount('nlinear', reference)).toBe(300);
  });

  it('TiDE (hidden 512, decoder_output_dim 32, temporal_decoder_dim 128, layernorm)', () => {
    // MLPResidual(in, hid, out) = LayerNorm 2*out + Linear(in,hid) + Linear(hid,out) + skip Linear(in,out).
    // encoder (24, 512, 512): 1_024 + 12_800 + 262_656 + 12_800 = 289_280.
    // decoder (512, 512, 32*12=384): 768 + 262_656 + 196_992 + 196_992 = 657_408.
    // temporal decoder (32, 128, 1): 2 + 4_224 + 129 + 33 = 4_388. global skip Linear(24, 12) = 300.
    expect(parameterCount('tide', reference)).toBe(289_280 + 657_408 + 4_388 + 300); // 951_376
  });
});

/** Parameters of multivariate model `id` built with its NeuralForecast defaults for `d`. */
function multivariateCount(
  id: ModelId,
  d: MultivariateDims,
  overrides: Record<string, unknown> = {},
): number {
  const spec = getMultivariateModelSpec(id);
  const net = spec.build(spec.configSchema.parse({ n_series: d.nSeries, ...overrides }), d, 1);
  const count = countParameters(net.variables);
  net.dispose();
  return count;
}

// The yardstick's multivariate protocol: AirPassengersPanel's 2 series, h = 12, input_size = 24.
const panel: MultivariateDims = { ...reference, nSeries: 2 };

describe('multivariate parameter counts equal NeuralForecast (n_series=2, h=12, input_size=24)', () => {
  it('MLPMultivariate (num_layers=2, hidden_size=1024): 1,124,376', () => {
    // Linear(2*24, 1024) = 50_176; Linear(1024, 1024) = 1_049_600; out Linear(1024, 12*2) = 24_600.
    expect(multivariateCount('mlpmultivariate', panel)).toBe(50_176 + 1_049_600 + 24_600);
    // futr 1, hist 1, stat 1: 2*(24 + 24 + 36 + 1) = 170 inputs -> Linear(170, 1024) = 175_104.
    expect(
      multivariateCount('mlpmultivariate', { ...panel, futrExogSize: 1, histExogSize: 1, statExogSize: 1 }),
    ).toBe(175_104 + 1_049_600 + 24_600);
  });

  it('TSMixer (n_block=2, ff_dim=64, revin): 2,532', () => {
    // Per block: temporal BN(48) 96 + Linear(24,24) 600; feature BN(48) 96 + Linear(2,64) 192 + Linear(64,2) 130.
    // Two blocks 2*1_114 + out Linear(24,12) 300 + RevIN 2*2; the BN running statistics are buffers.
    expect(multivariateCount('tsmixer', panel)).toBe(2 * 1_114 + 300 + 4); // 2_532
    expect(multivariateCount('tsmixer', panel, { revin: false })).toBe(2 * 1_114 + 300);
  });

  it('TSMixerx (n_block=2, ff_dim=64, revin): 41,158', () => {
    // temporal_projection Linear(24,12) 300; feature_mixer_hist: Linear(2,64) 192 + Linear(64,64) 4_160
    // + project_residual Linear(2,64) 192 + LayerNorm((12,64)) 1_536 = 6_080; each MixingLayer(64 -> 64):
    // LayerNorm 1_536 + Linear(12,12) 156 + 2 Linear(64,64) 8_320 + LayerNorm 1_536 = 11_548, three of
    // them (first_mixing and n_block); out Linear(64, 2) 130; RevIN 4.
    expect(multivariateCount('tsmixerx', panel)).toBe(300 + 6_080 + 3 * 11_548 + 130 + 4); // 41_158
  });

  it('RMoK (taylor_order=3, jacobi_degree=6, revin_affine): 4,472', () => {
    // Taylor coeffs 24*12*3 + bias 12 = 876; Jacobi coeffs 24*12*7 = 2_016; WaveKAN scale, translation,
    // weight1 (never read, counted by NeuralForecast) and wavelet_weights 4*12*24 + BatchNorm1d(12) 24
    // = 1_176; linear expert Linear(24,12) 300; gate Linear(24,4) 100; RevIN 2*2.
    expect(multivariateCount('rmok', panel)).toBe(876 + 2_016 + 1_176 + 300 + 100 + 4); // 4_472
    expect(multivariateCount('rmok', panel, { taylor_order: 5, jacobi_degree: 4, revin_affine: false })).toBe(
      24 * 12 * 5 + 12 + 24 * 12 * 5 + 1_176 + 300 + 100,
    );
  });

  it('XLinear (hidden_size=128, temporal_ff=256, channel_ff=8): 138,200', () => {
    // projection Linear(24,128) 3_200; glob_token 2*128 256; temporal gate Linear(256,256) twice 131_584;
    // channel gate Linear(4,8) 40 + Linear(8,4) 36; head Linear(2*128, 12) 3_084; RevIN has no affine.
    expect(multivariateCount('xlinear', panel)).toBe(3_200 + 256 + 131_584 + 76 + 3_084); // 138_200
    // futr 1, hist 1, stat 1: Linear(24,128) 3_200, Linear(36,128) 4_736, Linear(1,128) 256; head Linear(640,12) 7_692.
    expect(
      multivariateCount('xlinear', { ...panel, futrExogSize: 1, histExogSize: 1, statExogSize: 1 }),
    ).toBe(3_200 + 256 + 131_584 + 76 + 3_200 + 4_736 + 256 + 7_692);
  });

  it('TimeMixer (d_model=32, d_ff=32, e_layers=4, one down-sampling layer): 26,990 less 2,432 frozen', () => {
    // Per mixing block: LayerNorm(32) 64 (never applied) + cross_layer Linear(32,32) twice 2_112 + season
    // Linear(24,12) 300 + Linear(12,12) 156 + trend Linear(12,24) 312 + Linear(24,24) 600 + out_cross_layer
    // 2_112 (applied only with channel_independence=1) = 5_656, four blocks 22_624. Token conv 3*2*32 192;
    // two RevIN 8; predict Linear(24,12) 300 + Linear(12,12) 156; projection Linear(32,2) 66; out_res
    // Linear(24,24) 600 + Linear(12,12) 156; regression 300 + 156. NeuralForecast's 26,990 also counts its
    // temporal embedding's fixed sinusoid tables ((24+7+32+13)*32 = 2,432, requires_grad=False and unused
    // without future exogenous), which are not built here.
    const built = 22_624 + 192 + 8 + 456 + 66 + 756 + 456;
    expect(multivariateCount('timemixer', panel)).toBe(built); // 24_558
    expect(built + 2_432).toBe(26_990);
    // channel_independence=1: no cross_layer (−4*2_112), token conv 3*1*32 96, projection Linear(32,1) 33,
    // no out_res / regression layers.
    expect(multivariateCount('timemixer', panel, { channel_independence: 1 })).toBe(
      22_624 - 4 * 2_112 + 96 + 8 + 456 + 33,
    );
  });

  it('iTransformer (hidden_size=512, n_heads=8, e_layers=2, d_ff=2048): 6,324,748', () => {
    // Embedding Linear(24, 512) 12_800. Per encoder layer: 4 attention projections Linear(512, 512)
    // 4 * 262_656 = 1_050_624, conv1 Linear(512, 2048) 1_050_624, conv2 Linear(2048, 512) 1_049_088,
    // two LayerNorm(512) 2_048 = 3_152_384. Encoder norm 1_024; projector Linear(512, 12) 6_156.
    expect(multivariateCount('itransformer', panel)).toBe(12_800 + 2 * 3_152_384 + 1_024 + 6_156); // 6_324_748
  });

  it('SOFTS (hidden_size=512, d_core=512, e_layers=2, d_ff=2048): 6,848,012', () => {
    // Embedding Linear(24, 512) 12_800. Per encoder layer: STAR gen1 Linear(512, 512) 262_656, gen2
    // Linear(512, 512) 262_656, gen3 Linear(1024, 512) 524_800, gen4 Linear(512, 512) 262_656 =
    // 1_312_768; conv1 1_050_624, conv2 1_049_088, two LayerNorm(512) 2_048 = 3_414_528. No encoder
    // norm; projection Linear(512, 12) 6_156.
    expect(multivariateCount('softs', panel)).toBe(12_800 + 2 * 3_414_528 + 6_156); // 6_848_012
  });

  it('SOFTSSharp (as SOFTS, pe_keep_prob=0.5): 6,848,014', () => {
    // SOFTS's layers plus one learnable pe_scale per STAR block; the positional table is a buffer.
    expect(multivariateCount('softssharp', panel)).toBe(12_800 + 2 * (3_414_528 + 1) + 6_156); // 6_848_014
  });

  it('TimeXer (patch_len=16, hidden_size=512, n_heads=8, e_layers=2, d_ff=2048): 8,443,404', () => {
    // One patch of 16 (the last 8 steps are in no patch): patch embedding Linear(16, 512) without bias
    // 8_192, global tokens 2*512 1_024; variate embedding Linear(24, 512) 12_800. Per encoder layer:
    // self- and cross-attention 2 * 1_050_624, conv1 1_050_624, conv2 1_049_088, three LayerNorm(512)
    // 3_072 = 4_204_032. Encoder norm 1_024; head Linear(512*(1+1), 12) 12_300.
    expect(multivariateCount('timexer', panel)).toBe(8_192 + 1_024 + 12_800 + 2 * 4_204_032 + 1_024 + 12_300); // 8_443_404
    // hist 3, stat 2 add variate tokens, not parameters; patch_len 8 makes three patches: Linear(8, 512)
    // 4_096 and head Linear(512*(3+1), 12) 24_588.
    expect(multivariateCount('timexer', { ...panel, histExogSize: 3, statExogSize: 2 })).toBe(8_443_404);
    expect(multivariateCount('timexer', panel, { patch_len: 8 })).toBe(
      8_443_404 - 8_192 + 4_096 - 12_300 + 24_588,
    );
  });

  it('StemGNN (n_stacks=2, multi_layer=5): 4,221,784', () => {
    // weight_key and weight_query [2, 1] 4; GRU(24, 2) 3 * (24*2 + 2*2 + 2 + 2) = 168. Per block (m*L = 120):
    // weight 4 * 120 * 120 = 57_600; forecast Linear(120,120) 14_520; forecast_result Linear(120,24) 2_904;
    // backcast_short_cut Linear(24,24) 600 (built in both blocks, read in the first only); GLUs: two
    // GLU(96, 480) 2 * 2 * 46_560 = 186_240 and four GLU(480, 480) 4 * 2 * 230_880 = 1_847_040. The first
    // block adds backcast Linear(120,24) 2_904. Head Linear(24,24) 600 + Linear(24,12) 300.
    const block = 57_600 + 14_520 + 2_904 + 600 + 186_240 + 1_847_040; // 2_108_904
    expect(multivariateCount('stemgnn', panel)).toBe(4 + 168 + 2 * block + 2_904 + 900); // 4_221_784
    // multi_layer 3 (m*L = 72): weight 20_736, forecast 5_256, forecast_result 1_752, GLU(96, 288) 55_872,
    // GLU(288, 288) 166_464.
    const small = 20_736 + 5_256 + 1_752 + 600 + 2 * 55_872 + 4 * 166_464;
    expect(multivariateCount('stemgnn', panel, { multi_layer: 3 })).toBe(4 + 168 + 2 * small + 1_752 + 900);
  });
});
