// Generates the typed API client schema (web/src/lib/api/schema.d.ts) from the committed OpenAPI
// document (openapi.json). `--check` fails instead of writing when the committed file has drifted.
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const root = new URL('../../', import.meta.url);
const out = new URL('web/src/lib/api/schema.d.ts', root);

export async function generateApiSchema() {
  const doc = JSON.parse(readFileSync(new URL('openapi.json', root), 'utf8'));
  const ast = await openapiTS(doc, { alphabetize: true });
  const header = '// Generated from openapi.json by web/scripts/generate-api.mjs — do not edit.\n\n';
  const options = (await prettier.resolveConfig(out.pathname)) ?? {};
  return prettier.format(header + astToString(ast), { ...options, parser: 'typescript' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await generateApiSchema();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(out, 'utf8');
    if (committed !== text) {
      console.error('web/src/lib/api/schema.d.ts is out of date: run `npm run web:api`.');
      process.exit(1);
    }
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out.pathname}`);
  }
}
