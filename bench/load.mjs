// One load scenario against a running Separ server, in its own process so that the load generator never
// competes with the bench driver's event loop. Reads a job (JSON) on stdin, prints autocannon's result
// summary (JSON) on stdout. Loopback only; bounded by the job's duration.
//
// Job: { url, token, connections, duration, method, paths?: string[], body?: 'contact', runId }
import autocannon from 'autocannon';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const target = new URL(job.url);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(target.hostname)) {
  process.stderr.write(`load.mjs: refusing to load a non-loopback host (${target.hostname})\n`);
  process.exit(2);
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
  })}\n`,
);
