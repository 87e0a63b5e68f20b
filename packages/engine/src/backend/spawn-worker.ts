/**
 * Starts a `worker_threads` worker that runs engine code: the tfjs resolve hook is registered
 * inside it before its entry is imported, and from source (vitest, tsx) the `.ts` entry is loaded
 * through tsx's ESM hooks (an `execArgv` of `--import tsx` alone leaves Node 20 loading a `.ts`
 * entry unhooked). Callers pass the URL of their entry module as seen from their own module, so
 * the same call works from source and from the built `.js` package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TFJS_RESOLVE_HOOK_URL } from './gradients.js';

/** The ESM build of tsx's API (its `import` export); the CJS one cannot register ESM hooks. */
const tsxApiUrl = (): string => {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  return new URL(api, pathToFileURL(pkgPath)).href;
};

/**
 * The entry next to `base` (the caller's `import.meta.url`) named `name` — `name.ts` when the
 * caller runs from source, `name.js` when built.
 */
export const workerEntryUrl = (name: string, base: string): URL =>
  new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);

/** Starts a worker thread on `entry` (a `.ts` or `.js` module URL) with engine hooks in place. */
export const spawnEngineWorker = (entry: URL, options: { workerData?: unknown } = {}): Worker => {
  const steps = [
    `require('node:module').register(${JSON.stringify(TFJS_RESOLVE_HOOK_URL)});`,
    entry.pathname.endsWith('.ts')
      ? `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`
      : `import(${JSON.stringify(entry.href)});`,
  ];
  return new Worker(steps.join('\n'), {
    eval: true,
    ...(options.workerData !== undefined ? { workerData: options.workerData } : {}),
  });
};
