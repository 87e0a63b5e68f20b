// `npm run bench [-- NAME ... [--flag value ...]]`: runs bench/NAME.ts (every bench when no name is
// given), each printing one JSON object on stdout, and writes it with the machine it ran on to
// bench/results/NAME.json. `--out OUT` (one bench only) writes bench/results/OUT.json instead, so
// one bench can keep results of several settings (`zoo --data loto6 --out zoo-loto6`); the bench
// sees the flag too.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { ensureDebianPackages, ensureNodeModules, OPENBLAS_PACKAGE, ROOT } from './lib.mjs';

// Benches measure the engine as users run it: with the native matmul path where it can load.
ensureDebianPackages(OPENBLAS_PACKAGE);
ensureNodeModules();
const args = process.argv.slice(2);
// Bench names come first; everything from the first flag on is passed to each bench as it is.
const firstFlag = args.findIndex((arg) => arg.startsWith('-'));
const names = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);
const available = readdirSync(`${ROOT}bench`)
  .filter((file) => file.endsWith('.ts') && !file.startsWith('.'))
  .map((file) => file.slice(0, -3));
const outIndex = flags.indexOf('--out');
const out = outIndex < 0 ? undefined : flags[outIndex + 1];
if (outIndex >= 0 && (!/^[a-z0-9][a-z0-9-]*$/.test(out ?? '') || names.length !== 1)) {
  console.error('--out needs one bench name and a lowercase results name (letters, digits, -)');
  process.exit(2);
}
const unknown = names.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

mkdirSync(`${ROOT}bench/results`, { recursive: true });
let failed = false;
for (const name of names.length > 0 ? names : available) {
  console.error(`== bench ${name}`);
  const started = new Date();
  const child = spawnSync('npx', ['tsx', `bench/${name}.ts`, ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    console.error(`bench ${name} failed (${child.status ?? child.signal})`);
    failed = true;
    continue;
  }
  const results = JSON.parse(child.stdout.toString('utf8'));
  const record = {
    bench: name,
    flags,
    started_at: started.toISOString(),
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      memory_bytes: totalmem(),
      node: process.version,
      load_average_before: loadavg(),
    },
    results,
  };
  const file = `${ROOT}bench/results/${out ?? name}.json`;
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.error(`wrote ${file}`);
}
process.exit(failed ? 1 : 0);
