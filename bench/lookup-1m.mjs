// Exact email lookup among 1,000,000 contacts (issue 3): seed a fresh database, start the real server with
// SEPAR_SERVER_TIMING=1, then send `GET /api/v1/contacts?email=<seeded email>` from a few keep-alive connections and
// report p50/p99 both at the client and at the server (the Server-Timing header: request in → response headers out).
// Usage: node bench/lookup-1m.mjs [--db sqlite|postgres|both] [--contacts N] [--requests R] [--connections C]
//                                 [--data-dir DIR --admin-email E (SQLite: reuse a seeded data dir)] [--keep]
// One JSON line per phase on stdout (seed, lookup); progress on stderr. Loopback only; the server is always stopped
// (and a PostgreSQL bench database dropped) at the end, also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { serveArgv } from '../scripts/serve-args.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'separ.js');
const OUT = join(ROOT, 'bench', 'out');
const PG_ADMIN_URL = process.env.SEPAR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    contacts: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '4' },
    'data-dir': { type: 'string', default: '' },
    // With --data-dir: an active admin of that database (the lookups search every contact as an admin).
    'admin-email': { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
  },
});
const fail = (message) => {
  process.stderr.write(`lookup-1m: ${message}\n`);
  process.exit(2);
};
const whole = (flag, raw, min, max) => {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) fail(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
};
const dialects = args.db === 'both' ? ['sqlite', 'postgres'] : [args.db];
if (!dialects.every((d) => d === 'sqlite' || d === 'postgres')) fail('--db must be sqlite, postgres or both');
if (args['data-dir'] && args.db !== 'sqlite') fail('--data-dir reuses a seeded SQLite data dir (use --db sqlite)');
if (args['data-dir'] && !args['admin-email']) fail('--data-dir needs --admin-email (an admin of that database)');
const contacts = whole('--contacts', args.contacts, 1, 10_000_000);
const requests = whole('--requests', args.requests, 10, 1_000_000);
const connections = whole('--connections', args.connections, 1, 256);

const log = (line) => process.stderr.write(`lookup-1m: ${line}\n`);
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

function run(argv, { env, input = '', timeoutMs = 60 * 60_000, echo = false }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (echo) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`separ ${argv[0]} exited with ${code}: ${stderr.trim().split('\n').pop()}`));
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

/** One HTTPS request to the local server (self-signed certificate: verification off, loopback only). */
function call(agent, port, path, token) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        rejectUnauthorized: false,
        timeout: 30_000,
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (data += d));
        res.on('end', () => {
          const clientMs = Number(process.hrtime.bigint() - t0) / 1e6;
          const timing = /app;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
          resolve({
            status: res.statusCode,
            body: data ? JSON.parse(data) : null,
            clientMs,
            serverMs: timing ? Number(timing[1]) : null,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function waitHealthy(agent, port, server) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const r = await call(agent, port, '/healthz').catch(() => null);
    if (r?.status === 200) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error('the server did not become healthy within 120 s');
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (ms) => Math.round(ms * 100) / 100;

/** Emails of seeded contacts spread over the whole timeline, read in clear by their owner (a seed sales rep). */
async function sampleEmails(agent, port, repToken, want) {
  const first = await call(agent, port, '/api/v1/contacts?limit=1&sort=createdAt', repToken);
  const last = await call(agent, port, '/api/v1/contacts?limit=1', repToken);
  if (first.status !== 200 || !first.body.items[0]) throw new Error(`cannot list contacts (${first.status})`);
  const from = Date.parse(first.body.items[0].createdAt);
  const to = Date.parse(last.body.items[0].createdAt);
  const emails = new Set();
  for (let i = 0; i < Math.ceil(want / 20) && emails.size < want; i++) {
    const after = new Date(from + Math.random() * (to - from)).toISOString();
    const page = await call(
      agent,
      port,
      `/api/v1/contacts?limit=50&sort=createdAt&createdAfter=${encodeURIComponent(after)}`,
      repToken,
    );
    if (page.status !== 200) throw new Error(`cannot list contacts (${page.status})`);
    for (const c of page.body.items) if (typeof c.email === 'string' && !c.email.includes('*')) emails.add(c.email);
  }
  return [...emails];
}

async function lookups(agent, port, token, emails, count) {
  const client = [];
  const server = [];
  let misses = 0;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < count) {
      const email = emails[next++ % emails.length];
      const r = await call(agent, port, `/api/v1/contacts?email=${encodeURIComponent(email)}`, token);
      if (r.status !== 200) throw new Error(`lookup answered ${r.status}`);
      if (r.body.items.length !== 1) misses++;
      client.push(r.clientMs);
      if (r.serverMs !== null) server.push(r.serverMs);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - t0) / 1000;
  client.sort((a, b) => a - b);
  server.sort((a, b) => a - b);
  if (server.length !== client.length) throw new Error('the server sent no Server-Timing header');
  return {
    reqPerSec: Math.round(count / seconds),
    clientP50Ms: round(pct(client, 50)),
    clientP99Ms: round(pct(client, 99)),
    serverP50Ms: round(pct(server, 50)),
    serverP99Ms: round(pct(server, 99)),
    serverMaxMs: round(server[server.length - 1]),
    misses,
  };
}

async function benchDialect(db) {
  const reuse = args['data-dir'];
  const dataDir = reuse || join(OUT, `lookup-${db}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dataDir, { recursive: true });
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SEPAR_DATA_DIR: dataDir };
  env.SEPAR_LOG_LEVEL = 'error';
  let dropDb = null;
  let server = null;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  try {
    if (db === 'postgres') {
      const name = `separ_bench_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${name}`;
      env.DATABASE_URL = u.toString();
      dropDb = async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
    const email = `lookup-admin-${randomBytes(3).toString('hex')}@example.com`;
    if (!reuse) {
      const password = `Pw-${randomBytes(24).toString('hex')}`;
      await run(['init', '--email', email, '--name', 'Lookup Admin', '--password-stdin'], {
        env,
        input: `${password}\n`,
      });
      log(`${db}: seeding ${contacts.toLocaleString('en')} contacts`);
      const t0 = performance.now();
      const { stdout } = await run(['seed', '--contacts', String(contacts), '--seed', '1', '--json'], {
        env,
        echo: true,
      });
      const summary = JSON.parse(stdout);
      emit({
        scenario: 'seed',
        db,
        contacts,
        seconds: Math.round((performance.now() - t0) / 100) / 10,
        cpuSeconds: summary.cpuSeconds ?? null,
      });
    }
    // An admin sees every contact (the lookup searches all of them); the rep reads its own emails in clear.
    const adminEmail = reuse ? args['admin-email'] : email;
    const token = JSON.parse(
      (await run(['tokens', 'create', '--email', adminEmail, '--name', 'lookup bench', '--json'], { env })).stdout,
    ).token;
    const repToken = JSON.parse(
      (
        await run(['tokens', 'create', '--email', 'owner01@seed.separ.invalid', '--name', 'lookup sample', '--json'], {
          env,
        })
      ).stdout,
    ).token;
    const port = await freePort();
    server = spawn(process.execPath, serveArgv(BIN), {
      env: { ...env, SEPAR_HOST: '127.0.0.1', SEPAR_PORT: String(port), SEPAR_SERVER_TIMING: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(server);
    await waitHealthy(agent, port, server);
    const emails = await sampleEmails(agent, port, repToken, 500);
    if (emails.length < 50) throw new Error(`only ${emails.length} seeded emails sampled`);
    log(`${db}: ${emails.length} emails sampled; ${requests} lookups over ${connections} connections`);
    await lookups(agent, port, token, emails, Math.min(300, requests)); // warm-up (JIT, caches)
    const r = await lookups(agent, port, token, emails, requests);
    emit({ scenario: 'email-lookup', db, contacts, requests, connections, ...r });
  } finally {
    agent.destroy();
    if (server && server.exitCode === null) {
      const exited = new Promise((res) => server.once('exit', res));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (dropDb) await dropDb().catch((err) => log(`could not drop the bench database: ${err.message}`));
    if (!args.keep && !reuse) rmSync(dataDir, { recursive: true, force: true });
  }
}

let failed = false;
for (const db of dialects) {
  try {
    await benchDialect(db);
  } catch (err) {
    failed = true;
    log(`${db} failed: ${err.message}`);
  }
}
process.exitCode = failed ? 1 : 0;
