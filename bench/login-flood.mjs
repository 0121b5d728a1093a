// Login flood: POSTs wrong passwords to /api/v1/auth/login of a running Separ server, from its own process, so
// the bench can measure what the flood does to everyone else. Loopback only, bounded in count and time.
// Reads a job (JSON) on stdin: { url, email, count, concurrency, seconds, ca? } and prints a JSON summary:
// { sent, perSec, statusCounts, errors } on stdout.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:https';

const MAX_COUNT = 200_000;
const MAX_SECONDS = 300;

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const target = new URL(job.url);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(target.hostname)) {
  process.stderr.write(`login-flood: refusing a non-loopback target (${target.hostname})\n`);
  process.exit(2);
}
const count = Math.min(Math.max(1, Math.trunc(job.count ?? 20_000)), MAX_COUNT);
const seconds = Math.min(Math.max(1, Math.trunc(job.seconds ?? 30)), MAX_SECONDS);
const concurrency = Math.min(Math.max(1, Math.trunc(job.concurrency ?? 32)), 512);

// The server's certificate is trusted through its local CA when given; otherwise verification is skipped for
// this loopback target only (the same trade-off as bench/load.mjs).
const agent = new Agent({
  keepAlive: true,
  maxSockets: concurrency,
  ...(job.ca ? { ca: job.ca, servername: 'localhost' } : { rejectUnauthorized: false }),
});

const statusCounts = {};
let sent = 0;
let errors = 0;
const deadline = Date.now() + seconds * 1000;

function once() {
  return new Promise((resolve) => {
    const body = JSON.stringify({ email: job.email, password: `wrong-${randomBytes(9).toString('base64url')}` });
    const req = request(
      {
        agent,
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: '/api/v1/auth/login',
        method: 'POST',
        timeout: 15_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end(body);
  });
}

async function worker() {
  while (sent < count && Date.now() < deadline) {
    sent++;
    await once();
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
const elapsed = (Date.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ sent, perSec: Math.round(sent / elapsed), statusCounts, errors })}\n`);
