#!/usr/bin/env node
// The `nflab` command as npm links it (`npx nflab …`, node_modules/.bin/nflab). npm links a
// workspace's bin only when the file exists at install time, and dist/ exists only after the first
// build — so the bin is this committed file, which loads the build.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  process.stderr.write('nflab is not built yet: run `npm run build` (or `npm run up`) first\n');
  process.exitCode = 1;
}
