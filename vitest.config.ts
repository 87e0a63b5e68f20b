import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import workspace packages from source, so `npm test` needs no build first:
// `@nflab/server` -> apps/server/src/index.ts, `@nflab/x` -> packages/x/src/index.ts, `@nflab/x/sub` -> packages/x/src/sub.ts.
const alias = [
  { find: /^@nflab\/server$/, replacement: `${root}apps/server/src/index.ts` },
  { find: /^@nflab\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@nflab\/([a-z-]+)\/(.+)$/, replacement: `${root}packages/$1/src/$2.ts` },
];

const ALL = ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'];
/**
 * Files that wait on wall-clock deadlines while a browser or a sweep works (page updates within
 * 15 s, runs finishing within minutes): they run after the rest, one at a time, so a second test
 * file competing for these two cores cannot push them past a deadline.
 */
const ALONE = [
  'apps/web/test/e2e/**/*.test.ts',
  'packages/runner/test/execute/**/*.test.ts',
  // Needs a process where nothing has loaded OpenBLAS yet: isolated, like every file of this project.
  'packages/engine/test/native-unavailable.test.ts',
  // Grows its worker's wasm heap past 2 GiB on purpose (the memory never shrinks), so no later file
  // of a shared worker inherits it.
  'packages/engine/test/models-recurrent-simd-high-heap.test.ts',
  // Its high-offset case builds a wasm memory above 2 GiB; alone, the allocation cannot fail for
  // want of the address space another file's heaps hold, which would skip the case.
  'packages/engine/test/backend-simd-batched-gemm.test.ts',
];

const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        // Most files spend their time waiting — PGlite compiling, the PostgreSQL server, child
        // processes of the CLI — so two at once on two cores nearly halves the wall time.
        // Not isolated: each of the two workers keeps its module cache from file to file, so the
        // workspace (TensorFlow.js, its wasm backend, PGlite, Fastify) is loaded twice per run
        // instead of once per file. Every file closes what it opens and restores what it patches
        // (process.env, the tfjs backend it selects itself).
        test: {
          ...shared,
          name: 'shared',
          isolate: false,
          include: ALL,
          exclude: ALONE,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: { ...shared, name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
