// Small helpers shared by the repository scripts (test, up, bench). Plain Node, no dependencies,
// because these scripts run before `npm ci` has installed anything.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs a command in the repository root with inherited output; exits the process when it fails. */
export const run = (command, args, options = {}) => {
  console.error(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`command failed (${result.status ?? result.signal}): ${command} ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
  return result;
};

/** Whether an executable is on PATH. */
export const hasCommand = (name) =>
  spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/**
 * Installs the workspace's npm dependencies when node_modules is missing or older than the lock
 * file, so a fresh clone needs no manual step.
 */
export const ensureNodeModules = () => {
  const marker = `${ROOT}node_modules/.package-lock.json`;
  const lock = `${ROOT}package-lock.json`;
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
};

/**
 * OpenBLAS for the engine's optional native matmul path: several times faster training where the
 * CPU has AVX2/AVX-512; without it (no apt-get) the engine runs on TensorFlow.js's WebAssembly kernels.
 */
export const OPENBLAS_PACKAGE = { '/usr/lib/x86_64-linux-gnu/libopenblas.so.0': 'libopenblas0-pthread' };

/**
 * Installs Debian packages that are missing, when apt-get is at hand and we are root.
 * `packages` maps a file that proves the package is installed to the package name.
 */
export const ensureDebianPackages = (packages) => {
  const missing = Object.entries(packages)
    .filter(([file]) => !existsSync(file))
    .map(([, name]) => name);
  if (missing.length === 0) return;
  if (!hasCommand('apt-get') || process.getuid?.() !== 0) {
    console.error(`missing Debian packages (install them by hand): ${missing.join(' ')}`);
    return;
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};
