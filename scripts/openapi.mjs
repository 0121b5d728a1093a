// Regenerates the committed OpenAPI document (openapi.json) from the route schemas.
// A test fails when the committed file and the served document drift apart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { loadConfig } = await import('../dist/config/index.js');
const { createRuntime, buildHttpApp } = await import('../dist/runtime/index.js');
const { createLogger } = await import('../dist/platform/logger.js');
const { openApiDocument } = await import('../dist/http/index.js');

const dir = mkdtempSync(join(tmpdir(), 'separ-openapi-'));
try {
  const config = loadConfig({
    SEPAR_DATA_DIR: dir,
    SEPAR_LOG_LEVEL: 'silent',
    SEPAR_PUBLIC_URL: 'https://localhost:8443',
  });
  const rt = await createRuntime(config, { migrate: true, logger: createLogger('silent') });
  const app = await buildHttpApp(rt);
  await app.ready();
  const out = new URL('../openapi.json', import.meta.url);
  writeFileSync(out, JSON.stringify(openApiDocument(app), null, 2) + '\n');
  await app.close();
  await rt.close();
  console.log(`wrote ${out.pathname}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
