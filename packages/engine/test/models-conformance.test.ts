import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { MODEL_IDS } from '../src/models/registry.js';
import { checkModel } from '../src/testing/check-model.js';
import { SLOW_MODEL_TIMEOUTS, SMALL_CONFIGS } from './models-small-configs.js';

beforeAll(async () => {
  await setBackend('wasm');
});

describe('checkModel over the whole registry', () => {
  for (const id of MODEL_IDS) {
    const timeout = SLOW_MODEL_TIMEOUTS[id];
    it(`${id} learns, round-trips, leaks nothing and validates exogenous columns`, { timeout }, async () => {
      const report = await checkModel(id, { config: SMALL_CONFIGS[id] });
      expect(report.mae).toBeLessThan(0.5 * report.baselineMae);
      expect(report.variables).toBeGreaterThan(0);
    });
  }
});
