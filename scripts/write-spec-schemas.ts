/**
 * Writes the spec JSON Schemas for editors to docs/schemas/ from the zod schemas in
 * @nflab/contracts. Run `npx tsx scripts/write-spec-schemas.ts` after changing a spec; a contracts
 * test fails while the committed files differ from what the code generates.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { specJsonSchemas } from '../packages/contracts/src/specs/json-schema.js';

const dir = fileURLToPath(new URL('../docs/schemas/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(specJsonSchemas())) {
  writeFileSync(`${dir}${file}`, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote docs/schemas/${file}\n`);
}
