// `node bench/login-flood-run.mjs`: does a login flood slow everyone else down? Starts a fresh Separ server,
// measures authenticated GET latency (API token, `GET /api/v1/contacts/:id` over seeded ids) alone, then while a
// separate process floods the login route with wrong passwords — once with the login rate limits as shipped,
// once with them lifted so that only the password-hashing concurrency limit stands between the flood and the
// rest. Prints one JSON line per scenario; exits 1 when the p99 under the flood (shipped limits) exceeds the target.
// Options: --duration S (per scenario, default 10) --connections C (default 10) --flood-concurrency N (64)
//          --target-p99 MS (100) --contacts N (seeded first, default 2000) --keep
// Loopback only; every child is bounded in time and stopped at the end, also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveArgv } from '../scripts/serve-args.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'separ.js');
const LOAD = join(ROOT, 'bench', 'load.mjs');
const FLOOD = join(ROOT, 'bench', 'login-flood.mjs');
const OUT = join(ROOT, 'bench', 'out');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'flood-concurrency': { type: 'string', default: '64' },
    'target-p99': { type: 'string', default: '100' },
    contacts: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const num = (flag, min, max) => {
  const n = Number(args[flag]);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`login-flood-run: --${flag} must be a whole number from ${min} to ${max}\n`);
    process.exit(2);
  }
  return n;
};
const duration = num('duration', 2, 120);
const connections = num('connections', 1, 200);
const floodConcurrency = num('flood-concurrency', 1, 512);
const targetP99 = num('target-p99', 1, 10_000);
const contacts = num('contacts', 0, 1_000_000);

const log = (line) => process.stderr.write(`login-flood: ${line}\n`);
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

function run(argv, { env, input = '', timeoutMs = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${argv.slice(1, 3).join(' ')} exited with ${code}: ${stderr.trim().split('\n').pop()}`));
    });
    child.stdin.end(input);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function healthy(port, ca) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost', ca }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function withServer(dataDir, env, extraEnv, work) {
  const port = await freePort();
  const server = spawn(process.execPath, serveArgv(BIN), {
    env: { ...env, ...extraEnv, SEPAR_HOST: '127.0.0.1', SEPAR_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(server);
  try {
    const ca = () => readFileSync(join(dataDir, 'tls', 'separ-local-ca.crt'), 'utf8');
    const until = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
      if (
        await healthy(
          port,
          (() => {
            try {
              return ca();
            } catch {
              return undefined;
            }
          })(),
        )
      )
        break;
      if (Date.now() > until) throw new Error('the server did not become healthy within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    return await work(port, ca(), server);
  } finally {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      const t = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    children.delete(server);
  }
}

/** Ids of some contacts (the GET scenario reads them one by one), or /me when nothing was seeded. */
function samplePaths(port, ca, token) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/contacts?limit=200',
        servername: 'localhost',
        ca,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => {
          const items = res.statusCode === 200 ? JSON.parse(data).items : [];
          resolve(items.length > 0 ? items.map((c) => `/api/v1/contacts/${c.id}`) : ['/api/v1/me']);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const load = (port, token, paths, seconds = duration) =>
  run([LOAD], {
    env: { PATH: process.env.PATH ?? '' },
    input: JSON.stringify({
      url: `https://127.0.0.1:${port}`,
      token,
      connections,
      duration: seconds,
      paths,
    }),
    timeoutMs: (seconds + 60) * 1000,
  }).then((r) => JSON.parse(r.stdout));

const flood = (port, ca, email) =>
  run([FLOOD], {
    env: { PATH: process.env.PATH ?? '' },
    input: JSON.stringify({
      url: `https://localhost:${port}`,
      email,
      ca,
      count: 200_000,
      concurrency: floodConcurrency,
      seconds: duration + 2,
    }),
    timeoutMs: (duration + 60) * 1000,
  }).then((r) => JSON.parse(r.stdout));

const dataDir = join(
  OUT,
  `login-flood-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
);
mkdirSync(dataDir, { recursive: true });
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  SEPAR_DATA_DIR: dataDir,
  SEPAR_LOG_LEVEL: 'error',
};
let failed = false;
try {
  const email = 'flood-admin@example.com';
  const password = `Pw-${randomBytes(24).toString('hex')}`;
  await run([BIN, 'init', '--email', email, '--name', 'Flood Admin', '--password-stdin'], {
    env,
    input: `${password}\n`,
  });
  const token = JSON.parse(
    (await run([BIN, 'tokens', 'create', '--email', email, '--name', 'bench', '--json'], { env })).stdout,
  ).token;
  if (contacts > 0) await run([BIN, 'seed', '--contacts', String(contacts), '--seed', '1', '--json'], { env });

  // Two servers: the limits as shipped (GET alone, then GET under the flood) and the login rate limits lifted
  // (GET under the flood, only the hashing concurrency limit in the way). Each is warmed up first (JIT, caches,
  // connection pools), so the numbers compare steady states.
  const servers = [
    {
      env: {},
      scenarios: [
        { scenario: 'get-alone', flood: false, gate: false },
        { scenario: 'get-under-login-flood', flood: true, gate: true },
      ],
    },
    {
      env: { SEPAR_LOGIN_RATE_PER_IP: '100000', SEPAR_LOGIN_RATE_GLOBAL: '1000000' },
      // Informational: what the hashing concurrency limit alone achieves (the target applies to the shipped limits).
      scenarios: [{ scenario: 'get-under-login-flood-no-rate-limits', flood: true, gate: false }],
    },
  ];
  for (const server of servers) {
    await withServer(dataDir, env, server.env, async (port, ca) => {
      const paths = await samplePaths(port, ca, token);
      log(`warming up (${Math.min(duration, 5)} s)`);
      await load(port, token, paths, Math.min(duration, 5));
      for (const s of server.scenarios) {
        log(
          `${s.scenario}: ${connections} connections for ${duration} s${s.flood ? `, flood x${floodConcurrency}` : ''}`,
        );
        const [get, fl] = await Promise.all([
          load(port, token, paths),
          s.flood ? flood(port, ca, email) : Promise.resolve(null),
        ]);
        const within = get.p99Ms <= targetP99;
        if (s.gate && !within) failed = true;
        emit({
          scenario: s.scenario,
          getReqPerSec: Math.round(get.reqPerSec),
          getP50Ms: get.p50Ms,
          getP99Ms: get.p99Ms,
          getErrors: get.errors,
          getNon2xx: get.non2xx,
          ...(fl
            ? { floodSent: fl.sent, floodPerSec: fl.perSec, floodStatus: fl.statusCounts, floodErrors: fl.errors }
            : {}),
          targetP99Ms: targetP99,
          withinTarget: within,
          loadAverage: loadavg()[0],
        });
      }
    });
  }
} catch (err) {
  failed = true;
  log(`failed: ${err.message}`);
} finally {
  if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
