/** Builds the UI for the end-to-end tests when apps/web/dist is missing or older than the sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's folder. */
export const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `vite build` writes. */
export const WEB_DIST = join(WEB_ROOT, 'dist');

const newestMtime = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stat.mtimeMs,
  );
};

/** True when dist/index.html is older than any source file (or missing). */
export const webBuildIsStale = (): boolean => {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(
    newestMtime(join(WEB_ROOT, 'src')),
    newestMtime(join(WEB_ROOT, 'index.html')),
    newestMtime(join(WEB_ROOT, 'vite.config.ts')),
  );
  return statSync(index).mtimeMs < sources;
};

/** Runs `vite build` in-process when the build is stale. */
export const ensureWebBuild = async (): Promise<void> => {
  if (!webBuildIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
};
