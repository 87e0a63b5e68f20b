// `npm run up`: install, build, create the embedded database with the sample LOTO6 history and
// derived features, then start the lab. Set DATABASE_URL to use a PostgreSQL server instead.
import { spawn } from 'node:child_process';
import { ensureDebianPackages, ensureNodeModules, OPENBLAS_PACKAGE, ROOT, run } from './lib.mjs';

const nflab = (...args) => run('node', ['apps/cli/dist/main.js', ...args]);

ensureDebianPackages(OPENBLAS_PACKAGE);
ensureNodeModules();
run('npm', ['run', 'build']);
nflab('db', 'migrate');
nflab('data', 'import', 'data/samples/loto6_2000-2020.cp932.csv', '--game', 'loto6');
nflab('data', 'features', '--table', 'nf_loto_final');
nflab('data', 'ls');

const serve = spawn('node', ['apps/cli/dist/main.js', 'serve', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill(signal));
serve.on('exit', (code) => process.exit(code ?? 0));
