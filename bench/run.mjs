// Separ benchmark: seed a fresh database, start the real server, load it from a separate process.
// Usage: node bench/run.mjs [--db sqlite|postgres|both] [--contacts N] [--duration S] [--connections C] [--keep]
//        [--scenarios a,b] [--warmup S] [--rounds R] [--slice S] [--cpu-prof DIR] [--loader auto|wrk|autocannon]
// Prints one JSON line per scenario on stdout; progress on stderr. Loopback only, bounded in time; the server
// is always stopped (and a PostgreSQL bench database dropped) at the end, also on failure or Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { serveArgv } from '../scripts/serve-args.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'separ.js');
const LOAD = join(ROOT, 'bench', 'load.mjs');
const OUT = join(ROOT, 'bench', 'out');
const PG_ADMIN_URL = process.env.SEPAR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    contacts: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    // Seconds of each scenario's own requests before it is measured (not counted): the server's steady state — its
    // code compiled, the pages the scenario reads in SQLite's cache — rather than its first seconds after start.
    warmup: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    // Comma-separated subset of the scenarios below (default: all).
    scenarios: { type: 'string', default: '' },
    // Write a V8 CPU profile of the server process into this directory (for finding where the CPU goes).
    'cpu-prof': { type: 'string', default: '' },
    // The side-by-side comparisons: rounds of alternating slices, and each slice's length in seconds.
    rounds: { type: 'string', default: '8' },
    slice: { type: 'string', default: '3' },
    // The load generator: wrk when installed (far less CPU per request, left to the server), else autocannon.
    loader: { type: 'string', default: 'auto' },
    // Requests per second of the paced email lookup (latency at a stated load rather than at saturation).
    'paced-rate': { type: 'string', default: '1000' },
  },
});
if (!['auto', 'wrk', 'autocannon'].includes(args.loader)) fail('--loader must be auto, wrk or autocannon');
const dialects = args.db === 'both' ? ['sqlite', 'postgres'] : [args.db];
if (!dialects.every((d) => d === 'sqlite' || d === 'postgres')) fail('--db must be sqlite, postgres or both');
const contacts = wholeNumber('--contacts', args.contacts, 1, 10_000_000);
const duration = wholeNumber('--duration', args.duration, 1, 600);
const connections = wholeNumber('--connections', args.connections, 1, 1000);
const warmup = wholeNumber('--warmup', args.warmup, 0, 600);
const rounds = wholeNumber('--rounds', args.rounds, 1, 100);
const slice = wholeNumber('--slice', args.slice, 1, 60);
const pacedRate = wholeNumber('--paced-rate', args['paced-rate'], 1, 100_000);
/** Every scenario this bench runs, in the order it runs them (checked against the jobs below). */
const SCENARIOS = [
  'get-by-id',
  'list-50',
  'q-search',
  'email-lookup',
  'email-lookup-paced',
  'list-50-sales-rep',
  'get-by-id-sales-rep',
  'list-50-sales-rep-masked',
  'get-by-id-sales-rep-masked',
  'authz-list-50',
  'authz-get-by-id',
  'create',
];
const only = args.scenarios ? new Set(args.scenarios.split(',')) : null;
// A misspelt name would otherwise seed for minutes and then measure nothing.
const unknown = only ? [...only].filter((n) => !SCENARIOS.includes(n)) : [];
if (unknown.length > 0) fail(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function wholeNumber(flag, raw, min, max) {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) fail(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

const log = (line) => process.stderr.write(`bench: ${line}\n`);
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

/** Children we started, so that they are stopped whatever happens. */
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

/** Run a command to completion (bounded); resolves with its output. */
function run(cmd, argv, { env, input = '', timeoutMs = 30 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (argv.includes('seed')) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${argv.slice(0, 3).join(' ')} exited with ${code}: ${stderr.trim().split('\n').pop()}`));
    });
    child.stdin.end(input);
  });
}

const separ = (argv, opts) => run(process.execPath, [BIN, ...argv], opts);

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

/** One HTTPS request to the local server (its certificate is self-signed: verification off for this call only). */
function call(port, path, { token, method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        rejectUnauthorized: false,
        timeout: 10_000,
        headers: {
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode, body: data ? JSON.parse(data) : null }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function waitHealthy(port, server, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const r = await call(port, '/healthz').catch(() => null);
    if (r?.status === 200) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error('the server did not become healthy within 60 s');
}

/** User + system CPU time of a process so far, in microseconds (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** CPU time of a process's main thread (the event loop) so far, in microseconds (/proc/<pid>/task/<pid>/schedstat). */
function mainThreadMicros(pid) {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
}

/**
 * CPU time of every PostgreSQL process on this machine so far, in microseconds (the bench's database server runs
 * here too): backends, autovacuum workers and the rest. Processes that exit between two readings take their time
 * with them, so differences are a lower bound.
 */
function postgresMicros() {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone since the directory was read
    }
  }
  return ticks * 10_000;
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

async function stopServer(server) {
  if (server.exitCode !== null) return;
  const exited = new Promise((res) => server.once('exit', res));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Ids, emails and name prefixes of seeded contacts, spread over the whole timeline (not just the newest). */
async function sample(port, token, repToken) {
  const first = await call(port, '/api/v1/contacts?limit=1&sort=createdAt', { token });
  const last = await call(port, '/api/v1/contacts?limit=1', { token });
  if (first.status !== 200 || !first.body.items[0]) throw new Error(`cannot list contacts (${first.status})`);
  const from = Date.parse(first.body.items[0].createdAt);
  const to = Date.parse(last.body.items[0].createdAt);
  const randomPages = async (tok, pages) => {
    const byId = new Map();
    for (let i = 0; i < pages; i++) {
      const after = new Date(from + Math.random() * (to - from)).toISOString();
      const page = await call(
        port,
        `/api/v1/contacts?limit=25&sort=createdAt&createdAfter=${encodeURIComponent(after)}`,
        {
          token: tok,
        },
      );
      if (page.status !== 200) throw new Error(`cannot list contacts (${page.status})`);
      for (const c of page.body.items) byId.set(c.id, c);
    }
    return [...byId.values()];
  };
  const items = await randomPages(token, 40);
  // An admin sees personal data masked; a sales rep sees its own contacts' in clear.
  const own = await randomPages(repToken, 40);
  const emails = own.map((c) => c.email).filter((e) => typeof e === 'string' && !e.includes('*'));
  const prefixCounts = new Map();
  for (const c of items) {
    const p = [...String(c.lastName)].slice(0, 3).join('');
    if ([...p].length === 3) prefixCounts.set(p, (prefixCounts.get(p) ?? 0) + 1);
  }
  const prefixes = [...prefixCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([p]) => p);
  return { ids: items.map((c) => c.id), ownIds: own.map((c) => c.id), emails, prefixes };
}

/**
 * Changes the sales-rep role to see restricted and card data masked, as the admin does — once per database:
 * `state` belongs to one dialect's run. (A flag shared by the whole driver once made the PostgreSQL half of
 * `--db both` compare the admin with a rep that still saw personal data in clear: its role was never changed.)
 */
async function maskRepRole(port, token, repToken, state) {
  if (state.masked) return;
  const role = await call(port, '/api/v1/roles/sales-rep', { token });
  if (role.status !== 200) throw new Error(`cannot read the sales-rep role (${role.status})`);
  const { policy, version } = role.body;
  const every = policy.classifications['*'] ?? {};
  const res = await call(port, '/api/v1/roles/sales-rep', {
    token,
    method: 'PATCH',
    body: {
      version,
      policy: {
        ...policy,
        classifications: { ...policy.classifications, '*': { ...every, restricted: 'masked', pci: 'masked' } },
      },
    },
  });
  if (res.status !== 200)
    throw new Error(`cannot change the sales-rep role (${res.status}: ${JSON.stringify(res.body)})`);
  // Servers reload role policies every few seconds: measure only once the rep's own page shows emails masked.
  const until = Date.now() + 30_000;
  for (;;) {
    const page = await call(port, '/api/v1/contacts?limit=50', { token: repToken });
    const emails = (page.body?.items ?? []).map((c) => c.email).filter((e) => typeof e === 'string');
    if (page.status === 200 && emails.length > 0 && emails.every((e) => e.includes('*'))) break;
    if (Date.now() > until) throw new Error('the sales-rep role change did not take effect within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  state.masked = true;
}

function shuffle(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function loadScenario(port, token, job) {
  const { stdout } = await run(process.execPath, [LOAD], {
    env: { PATH: process.env.PATH ?? '' },
    input: JSON.stringify({
      url: `https://127.0.0.1:${port}`,
      token,
      connections,
      duration,
      // A paced job has a loader of its own (load.mjs), whichever drives the rest.
      ...(args.loader === 'auto' || job.rate !== undefined ? {} : { loader: args.loader }),
      ...job,
    }),
    timeoutMs: (duration + 60) * 1000,
  });
  return JSON.parse(stdout);
}

/**
 * Two jobs on the same server in alternating slices (A B B A, B A A B, …), so that whatever else slows this machine
 * down — other jobs, turbo, the page cache — falls on both sides alike; one run of each after the other does not
 * settle a difference of a few percent on a shared VM. Returns totals per side and the median of the per-round
 * ratios of B's req/s to A's.
 */
async function sideBySide(port, server, db, a, b) {
  const sides = [a, b].map(() => ({
    total: 0,
    seconds: 0,
    main: 0,
    cpu: 0,
    dbCpu: 0,
    errors: 0,
    non2xx: 0,
    perRound: [],
  }));
  // Both sides warmed up first (not counted), as every scenario is.
  for (const { token, ...job } of warmup > 0 ? [a, b] : [])
    await loadScenario(port, token, { ...job, duration: warmup });
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1, 1, 0] : [1, 0, 0, 1];
    const got = [0, 0];
    for (const k of order) {
      const { token, ...job } = [a, b][k];
      const main0 = mainThreadMicros(server.pid);
      const cpu0 = cpuMicros(server.pid);
      const db0 = db === 'postgres' ? postgresMicros() : 0;
      const r = await loadScenario(port, token, { ...job, duration: slice });
      const side = sides[k];
      if (db === 'postgres') side.dbCpu += postgresMicros() - db0;
      side.main += mainThreadMicros(server.pid) - main0;
      side.cpu += cpuMicros(server.pid) - cpu0;
      side.total += r.total;
      side.seconds += slice;
      side.errors += r.errors;
      side.non2xx += r.non2xx;
      got[k] += r.total;
    }
    sides[0].perRound.push(got[0]);
    sides[1].perRound.push(got[1]);
  }
  const ratios = sides[0].perRound.map((n, i) => sides[1].perRound[i] / n).sort((x, y) => x - y);
  const median =
    ratios.length % 2
      ? ratios[(ratios.length - 1) / 2]
      : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
  const summary = (side) => ({
    reqPerSec: Math.round(side.total / side.seconds),
    mainUsPerReq: side.total > 0 ? Math.round(side.main / side.total) : null,
    cpuUsPerReq: side.total > 0 ? Math.round(side.cpu / side.total) : null,
    ...(db === 'postgres' ? { postgresCpuUsPerReq: side.total > 0 ? Math.round(side.dbCpu / side.total) : null } : {}),
    errors: side.errors,
    non2xx: side.non2xx,
  });
  return { a: summary(sides[0]), b: summary(sides[1]), medianRatio: median, ratios };
}

async function benchDialect(db) {
  const runId = `${db}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const dataDir = join(OUT, runId);
  mkdirSync(dataDir, { recursive: true });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SEPAR_DATA_DIR: dataDir,
    SEPAR_LOG_LEVEL: 'error',
  };
  let dropDb = null;
  let server = null;
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
    // The first admin comes before the seed: `init` is refused once any user (the seed's owners) exists.
    const email = 'bench-admin@example.com';
    const password = `Pw-${randomBytes(24).toString('hex')}`;
    await separ(['init', '--email', email, '--name', 'Bench Admin', '--password-stdin'], {
      env,
      input: `${password}\n`,
    });
    const token = JSON.parse(
      (await separ(['tokens', 'create', '--email', email, '--name', 'bench', '--json'], { env })).stdout,
    ).token;

    log(
      `${db}: seeding ${contacts.toLocaleString('en')} contacts into ${env.DATABASE_URL ? 'a fresh database' : dataDir}`,
    );
    const t0 = performance.now();
    await separ(['seed', '--contacts', String(contacts), '--seed', '1', '--json'], { env });
    emit({ scenario: 'seed', db, contacts, seconds: Math.round((performance.now() - t0) / 100) / 10 });

    const repToken = JSON.parse(
      (
        await separ(
          ['tokens', 'create', '--email', 'owner01@seed.separ.invalid', '--name', 'bench sampling', '--json'],
          { env },
        )
      ).stdout,
    ).token;

    const port = await freePort();
    const profile = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
    server = spawn(process.execPath, serveArgv(BIN, profile), {
      env: { ...env, SEPAR_HOST: '127.0.0.1', SEPAR_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(server);
    await waitHealthy(port, server);
    log(`${db}: server on https://127.0.0.1:${port} (pid ${server.pid}); sampling contacts`);
    const s = await sample(port, token, repToken);
    const repRole = { masked: false };
    if (s.ids.length === 0 || s.emails.length === 0) throw new Error('could not sample seeded contacts');
    const scenarios = [
      { scenario: 'get-by-id', paths: shuffle(s.ids).map((id) => `/api/v1/contacts/${id}`) },
      { scenario: 'list-50', paths: ['/api/v1/contacts?limit=50'] },
      { scenario: 'q-search', paths: shuffle(s.prefixes).map((p) => `/api/v1/contacts?q=${encodeURIComponent(p)}`) },
      {
        scenario: 'email-lookup',
        paths: shuffle(s.emails).map((e) => `/api/v1/contacts?email=${encodeURIComponent(e)}`),
      },
      // The same lookups at a stated rate (evenly spaced; latencies from when each was due, load.mjs):
      // email-lookup above runs the server flat out, where every request also waits behind the other 19
      // connections' — its p99 is mostly queueing; this one is what a lookup takes while the server is busy
      // but keeping up.
      {
        scenario: 'email-lookup-paced',
        rate: pacedRate,
        paths: shuffle(s.emails).map((e) => `/api/v1/contacts?email=${encodeURIComponent(e)}`),
      },
      // The cost of authorization and decryption, side by side with the admin scenarios above: a sales rep lists
      // only its own records (record scope in the query) and sees their personal data in clear (decrypted per
      // record), where the admin sees all records with write-time masks (no decryption).
      { scenario: 'list-50-sales-rep', as: 'rep', paths: ['/api/v1/contacts?limit=50'] },
      { scenario: 'get-by-id-sales-rep', as: 'rep', paths: shuffle(s.ownIds).map((id) => `/api/v1/contacts/${id}`) },
      // Authorization alone: the same sales rep (own scope in the query, its field modes resolved per request)
      // after its role is changed to see personal data masked like the admin, so nothing is decrypted and its reads
      // are recorded as views of masks, as the admin's are. Compare with list-50 / get-by-id (admin, all records).
      {
        scenario: 'list-50-sales-rep-masked',
        as: 'rep',
        before: () => maskRepRole(port, token, repToken, repRole),
        paths: ['/api/v1/contacts?limit=50'],
      },
      {
        scenario: 'get-by-id-sales-rep-masked',
        as: 'rep',
        before: () => maskRepRole(port, token, repToken, repRole),
        paths: shuffle(s.ownIds).map((id) => `/api/v1/contacts/${id}`),
      },
    ];
    // The one scenario that writes runs last, after the side-by-side pairs: its thousands of new contacts belong to
    // the admin and would otherwise give the admin's later list pages a few fresh pages to read from.
    const writes = [{ scenario: 'create', body: 'contact', runId: randomBytes(4).toString('hex') }];
    const defined = [...scenarios, ...writes].map((j) => j.scenario);
    if (defined.some((n) => !SCENARIOS.includes(n))) throw new Error(`SCENARIOS does not list ${defined.join(', ')}`);
    const runScenario = async ({ scenario, as, before, ...job }) => {
      if (only && !only.has(scenario)) return;
      if (before) await before();
      const bearer = as === 'rep' ? repToken : token;
      if (warmup > 0) {
        log(`${db}: ${scenario}: ${warmup} s warm-up`);
        // Its own run id: the contacts a warm-up creates must not take the measured run's emails.
        await loadScenario(port, bearer, {
          ...job,
          duration: warmup,
          ...(job.runId ? { runId: `${job.runId}w` } : {}),
        });
      }
      log(`${db}: ${scenario} (${connections} connections, ${duration} s)`);
      const cpu0 = cpuMicros(server.pid);
      const main0 = mainThreadMicros(server.pid);
      const r = await loadScenario(port, bearer, job);
      // The server's CPU time per completed request: unlike req/s, it holds still when other work shares the
      // machine (the load generator included).
      const cpuUsPerReq = r.total > 0 ? Math.round((cpuMicros(server.pid) - cpu0) / r.total) : null;
      // … and its event loop's share: the audit append and WAL checkpoints run on threads beside it (SQLite).
      const mainUsPerReq = r.total > 0 ? Math.round((mainThreadMicros(server.pid) - main0) / r.total) : null;
      emit({
        scenario,
        db,
        contacts,
        reqPerSec: Math.round(r.reqPerSec),
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        ...(r.maxMs === undefined ? {} : { maxMs: r.maxMs }),
        errors: r.errors,
        non2xx: r.non2xx,
        cpuUsPerReq,
        mainUsPerReq,
        serverRssMb: rssMb(server.pid),
        loader: r.loader,
        ...(job.rate === undefined ? {} : { pacedReqPerSec: job.rate }),
      });
    };
    for (const job of scenarios) await runScenario(job);
    // Authorization alone, side by side (issue #5): the admin and the masked sales rep alternate on this server.
    const pairs = [
      {
        scenario: 'authz-list-50',
        admin: { paths: ['/api/v1/contacts?limit=50'] },
        rep: { paths: ['/api/v1/contacts?limit=50'] },
      },
      {
        scenario: 'authz-get-by-id',
        admin: { paths: shuffle(s.ids).map((id) => `/api/v1/contacts/${id}`) },
        rep: { paths: shuffle(s.ownIds).map((id) => `/api/v1/contacts/${id}`) },
      },
    ];
    if (pairs.some((p) => !SCENARIOS.includes(p.scenario))) throw new Error('SCENARIOS does not list every pair');
    for (const { scenario, admin, rep } of pairs) {
      if (only && !only.has(scenario)) continue;
      await maskRepRole(port, token, repToken, repRole);
      log(`${db}: ${scenario}: admin and masked sales rep in alternating ${slice} s slices, ${rounds} rounds`);
      const r = await sideBySide(port, server, db, { token, ...admin }, { token: repToken, ...rep });
      emit({
        scenario,
        db,
        contacts,
        connections,
        rounds,
        sliceSeconds: slice,
        admin: r.a,
        salesRepMasked: r.b,
        // Positive: the rep is slower. Total requests over total time, and the median of the rounds' ratios.
        repSlowerPct: Math.round((1 - r.b.reqPerSec / r.a.reqPerSec) * 1000) / 10,
        repSlowerPctMedianRound: Math.round((1 - r.medianRatio) * 1000) / 10,
        roundRatios: r.ratios.map((x) => Math.round(x * 1000) / 1000),
      });
    }
    for (const job of writes) await runScenario(job);
  } finally {
    if (server) await stopServer(server);
    if (dropDb) await dropDb().catch((err) => log(`could not drop the bench database: ${err.message}`));
    if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (args.loader === 'auto' && spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error !== undefined)
  log(
    'wrk is not installed (apt-get install wrk): autocannon drives the load, and takes more of the CPU from the server',
  );
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
