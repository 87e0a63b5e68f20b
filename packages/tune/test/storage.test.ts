import { createMemoryStorage } from '@nflab/tune';
import { describe, it } from 'vitest';
import { STORAGE_CHECKS } from '../src/testing.js';

describe('memory storage conformance', () => {
  for (const [name, run] of Object.entries(STORAGE_CHECKS))
    it(name, () => run(async () => createMemoryStorage()));
});
