// Builds the server (src → dist) with the TypeScript compiler and the web app (web → web/dist) with Vite.
// `--if-stale` skips each part whose output is newer than every one of its sources, so `npm start` and
// `npm test` stay fast after the first run. `--server-only` / `--web-only` build one part.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', 'main.js');

const ifStale = process.argv.includes('--if-stale');
const serverOnly = process.argv.includes('--server-only');
const webOnly = process.argv.includes('--web-only');

function newestMtime(dir, accept = (name) => name.endsWith('.ts'), skip = () => false) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (skip(p)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, accept, skip));
    else if (accept(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (!webOnly) buildServer();
if (!serverOnly) buildWeb();

function buildServer() {
  if (ifStale && existsSync(stamp)) {
    const built = statSync(stamp).mtimeMs;
    const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'tsconfig.json')).mtimeMs);
    if (built >= sources) return;
  }
  compileServer();
}

function compileServer() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    console.error('separ build: TypeScript is not installed; run `npm install` first.');
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // tsc leaves main.js untouched when it did not change; touch the stamp so --if-stale sees the build.
  const now = new Date();
  utimesSync(stamp, now, now);
}

/** The web app: rebuilt when anything under web/ (but web/dist), vite.config.ts or the shared validators is newer. */
function buildWeb() {
  const webDir = join(root, 'web');
  const outDir = join(webDir, 'dist');
  const webStamp = join(outDir, 'index.html');
  if (!existsSync(webDir)) return;
  if (ifStale && existsSync(webStamp)) {
    const built = statSync(webStamp).mtimeMs;
    const sources = Math.max(
      newestMtime(
        webDir,
        () => true,
        (p) => p === outDir || p.endsWith('node_modules'),
      ),
      statSync(join(root, 'vite.config.ts')).mtimeMs,
      // The forms validate with the server's own format checks (web/src/lib/validation.ts).
      newestMtime(join(root, 'src', 'platform', 'formats')),
      statSync(join(root, 'package-lock.json')).mtimeMs,
    );
    if (built >= sources) return;
  }
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    if (existsSync(webStamp)) return;
    console.error('separ build: Vite is not installed, so the web app cannot be built; run `npm install` first.');
    process.exit(1);
  }
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(root, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  precompress(join(outDir, 'assets'));
}

/** Brotli and gzip copies of text assets, served by @fastify/static when the browser accepts them. */
function precompress(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css|svg|json)$/.test(name)) continue;
    const file = join(dir, name);
    const data = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
  }
}
