// `npm test`: installs what the tests need, then typechecks, lints and runs every test.
// Tests against the PostgreSQL server run when one is reachable and are required when CI=true.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { ensureDebianPackages, ensureNodeModules, OPENBLAS_PACKAGE, ROOT, run } from './lib.mjs';

/** Debian packages the tests use: a file that proves each is installed -> the package. */
const DEBIAN_PACKAGES = {
  // The engine's native matmul tests run when OpenBLAS loads.
  ...OPENBLAS_PACKAGE,
  // Chromium for the web app's end-to-end tests (playwright-core drives Debian's build).
  '/usr/bin/chromium': 'chromium',
  // A real Prometheus scrapes a running lab server in apps/server/test/prometheus.test.ts; its
  // promtool checks and unit-tests deploy/prometheus in apps/server/test/deploy/alert-rules.test.ts.
  '/usr/bin/prometheus': 'prometheus',
  // The `prometheus` tracking sink pushes to a real Pushgateway in packages/runner/test/tracking.
  '/usr/bin/prometheus-pushgateway': 'prometheus-pushgateway',
  // `docker-compose config` validates deploy/compose.yaml in apps/server/test/deploy/compose.test.ts.
  '/usr/bin/docker-compose': 'docker-compose',
};

ensureDebianPackages(DEBIAN_PACKAGES);
ensureNodeModules();
run('npx', ['tsc', '-p', 'tsconfig.json']);
// The web app has its own tsconfig (DOM, JSX, bundler resolution); the root one does not cover it.
run('npx', ['tsc', '-p', 'apps/web/tsconfig.json']);
run('npx', ['eslint', '.']);

mkdirSync(`${ROOT}test-results`, { recursive: true });
const report = `${ROOT}test-results/vitest.json`;
const extra = process.argv.slice(2);
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
  { cwd: ROOT, stdio: 'inherit' },
);

// A closing line in the plain form CI reads: "tests: N passed, N failed, N skipped".
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `tests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`,
  );
  if (summary.numTotalTests === 0) {
    console.error('no test ran');
    process.exit(1);
  }
} catch (error) {
  console.error(`could not read the test report: ${error}`);
  process.exit(1);
}
process.exit(vitest.status ?? 1);
