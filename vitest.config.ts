import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import workspace packages from source, so `npm test` needs no build first:
// `@nflab/server` -> apps/server/src/index.ts, `@nflab/x` -> packages/x/src/index.ts, `@nflab/x/sub` -> packages/x/src/sub.ts.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@nflab\/server$/, replacement: `${root}apps/server/src/index.ts` },
      { find: /^@nflab\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      { find: /^@nflab\/([a-z-]+)\/(.+)$/, replacement: `${root}packages/$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
