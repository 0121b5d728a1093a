// One load scenario against a running Separ server, in its own process so that the load generator never
// competes with the bench driver's event loop. Reads a job (JSON) on stdin, prints the result summary (JSON) on
// stdout. Loopback only; bounded by the job's duration.
//
// Job: { url, token, connections, duration, method, paths?: string[], body?: 'contact', runId, loader?, rate? }
//
// `rate` paces GET requests at that many per second, evenly spaced, over up to `connections` keep-alive connections
// (an open loop: a request is sent when it is due, whether or not earlier ones have answered), and each latency
// counts from when the request was due, so a stall is not hidden by the requests it held back (coordinated
// omission): latency at a stated load, where an unpaced run measures saturation. Neither wrk (it cannot pace) nor
// autocannon does this — autocannon's rate sends each connection's quota for a second as fast as it can and then
// waits for the next second, bursts at saturation that the corrected latencies then blame on the server.
//
// The load comes from wrk when it is installed (`apt-get install wrk`; `loader: 'wrk'` insists on it) and from
// autocannon otherwise (`loader: 'autocannon'` insists on that). On a 2-core machine the generator shares the cores
// with the server: autocannon, in JavaScript, spends several times the CPU per request that wrk does in C, and that
// CPU is taken from the server being measured (bench/README.md gives both side by side).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const target = new URL(job.url);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(target.hostname)) {
  process.stderr.write(`load.mjs: refusing to load a non-loopback host (${target.hostname})\n`);
  process.exit(2);
}

const loader = job.rate !== undefined ? 'paced' : (job.loader ?? (hasWrk() ? 'wrk' : 'autocannon'));
if (loader !== 'wrk' && loader !== 'autocannon' && loader !== 'paced') {
  process.stderr.write(`load.mjs: unknown loader ${String(loader)} (wrk or autocannon)\n`);
  process.exit(2);
}
if (loader === 'paced' && (job.body !== undefined || !(job.rate > 0) || !job.paths?.length)) {
  process.stderr.write('load.mjs: a paced job needs paths to GET and a rate above 0\n');
  process.exit(2);
}
if (loader !== 'autocannon') {
  process.stdout.write(`${JSON.stringify({ ...(await (loader === 'wrk' ? runWrk() : runPaced())), loader })}\n`);
  process.exit(0);
}

function hasWrk() {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** The same job through wrk and bench/load-wrk.lua (paths from a file, one JSON line back). */
async function runWrk() {
  const dir = mkdtempSync(join(tmpdir(), 'separ-wrk-'));
  try {
    const pathsFile = join(dir, 'paths');
    writeFileSync(pathsFile, `${(job.paths ?? []).join('\n')}\n`);
    const script = fileURLToPath(new URL('load-wrk.lua', import.meta.url));
    const argv = ['-t1', `-c${job.connections}`, `-d${job.duration}s`, '--timeout', '10s', '-s', script, target.origin];
    const env = {
      PATH: process.env.PATH ?? '',
      SEPAR_WRK_MODE: job.body === 'contact' ? 'contact' : 'paths',
      SEPAR_WRK_TOKEN: job.token,
      SEPAR_WRK_PATHS: pathsFile,
      SEPAR_WRK_RUN: String(job.runId ?? 'run'),
    };
    const out = await new Promise((resolve, reject) => {
      const child = spawn('wrk', argv, { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}`))));
    });
    const line = out.split('\n').find((l) => l.startsWith('SEPAR_WRK_JSON '));
    if (!line) throw new Error(`wrk printed no result:\n${out}`);
    return JSON.parse(line.slice('SEPAR_WRK_JSON '.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The job's paths at `job.rate` per second, each latency from when its request was due. */
async function runPaced() {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections, rejectUnauthorized: false });
  const headers = { authorization: `Bearer ${job.token}`, accept: 'application/json' };
  const latencies = [];
  const statusCodes = {};
  let errors = 0;
  let next = 0;
  const get = (path, due) =>
    new Promise((resolve) => {
      const req = httpsRequest({ host: target.hostname, port: target.port, path, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  // Every connection opened (TLS handshakes included) before the clock starts: the server's run-up, not its answers.
  await Promise.all(
    Array.from({ length: job.connections }, () => get(job.paths[next++ % job.paths.length], performance.now())),
  );
  latencies.length = 0;
  for (const code of Object.keys(statusCodes)) delete statusCodes[code];
  const interval = 1000 / job.rate;
  const start = performance.now();
  const end = start + job.duration * 1000;
  const pending = [];
  let sent = 0;
  // A timer tick every millisecond sends every request that has fallen due since the last one.
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (let due = start + sent * interval; due <= now && due < end; due = start + sent * interval) {
        pending.push(get(job.paths[next++ % job.paths.length], due));
        sent++;
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies.length
      ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 1000) / 1000
      : null;
  const ok = Object.entries(statusCodes).reduce((n, [code, k]) => (code.startsWith('2') ? n + k : n), 0);
  return {
    reqPerSec: latencies.length / job.duration,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    errors,
    non2xx: latencies.length - ok,
    total: latencies.length,
    statusCodes,
  };
}

let i = 0;
const nextPath = () => job.paths[i++ % job.paths.length];

/** A valid, unique contact per request (emails are unique in Separ; a duplicate would answer 409). */
function contactBody() {
  const n = i++;
  return JSON.stringify({
    firstName: n % 2 ? 'Bench' : 'نیما',
    lastName: n % 2 ? `Loadtest${n}` : `آزمون${n}`,
    email: `bench.${job.runId}.${n}@example.com`,
    phone: `+49151${String(10_000_000 + (n % 89_999_999)).padStart(8, '0')}`,
    title: 'Load test',
    tags: ['bench'],
  });
}

const request =
  job.body === 'contact'
    ? {
        method: 'POST',
        path: '/api/v1/contacts',
        setupRequest: (req) => ({ ...req, body: contactBody() }),
      }
    : { method: job.method ?? 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) };

const result = await autocannon({
  url: target.origin,
  connections: job.connections,
  duration: job.duration,
  timeout: 10,
  ...(job.rate === undefined ? {} : { overallRate: job.rate }),
  headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json', accept: 'application/json' },
  requests: [request],
});

process.stdout.write(
  `${JSON.stringify({
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    statusCodes: result.statusCodeStats,
    loader,
  })}\n`,
);
