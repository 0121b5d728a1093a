// Audit append rate through the real AuditService (canonical form, hashing, Merkle frontier, signed
// checkpoints, group commit) into a real database. Target: ≥ 20,000 entries/s.
//
//   node bench/audit-append.mjs [--entries N] [--pg postgres://…] [--json]
//
// Exports `benchAuditAppend({ entries, databaseUrl })` → { entries, seconds, perSecond, dialect } for bench/run.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { loadConfig } = await import(new URL('config/index.js', dist).href);
const { createRuntime } = await import(new URL('runtime/index.js', dist).href);
const { createLogger } = await import(new URL('platform/logger.js', dist).href);

/** A realistic entry: a user's update with before/after of two ordinary fields. */
export function sampleInput(i) {
  return {
    at: new Date().toISOString(),
    actor: { type: 'user', id: '01935c2e-7d1a-7c3b-9a51-3f0e2b6c8d10' },
    action: 'record.updated',
    target: { type: 'contacts', id: `01935c2e-7d1a-7c3b-9a51-${String(i).padStart(12, '0')}` },
    outcome: 'success',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    requestId: `01935c2e-7d1a-7c3b-9a51-${String(i).padStart(12, '1')}`,
    detail: {
      fields: ['title', 'tags'],
      changes: { title: { before: 'Engineer', after: 'Lead engineer' }, tags: { before: ['a'], after: ['a', 'vip'] } },
      sealed: [],
    },
  };
}

export async function openBenchRuntime(databaseUrl = null, extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'separ-bench-audit-'));
  const config = loadConfig({
    SEPAR_DATA_DIR: dir,
    SEPAR_LOG_LEVEL: 'silent',
    SEPAR_PUBLIC_URL: 'https://localhost:8443',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extraEnv,
  });
  const rt = await createRuntime(config, { migrate: true, logger: createLogger('silent'), processKind: 'bench' });
  return {
    rt,
    close: async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function benchAuditAppend({ entries = 200_000, databaseUrl = null, wave = 20_000 } = {}) {
  const { rt, close } = await openBenchRuntime(databaseUrl);
  try {
    const audit = rt.audit.service;
    // Warm up (JIT, statement caches).
    await Promise.all(Array.from({ length: 2000 }, (_, i) => audit.record(sampleInput(i))));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let done = 0; done < entries; done += wave) {
      const n = Math.min(wave, entries - done);
      const batch = new Array(n);
      for (let i = 0; i < n; i++) batch[i] = audit.record(sampleInput(done + i));
      await Promise.all(batch);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      dialect: rt.db.dialect,
      entries,
      seconds,
      perSecond: Math.round(entries / seconds),
      cpuSeconds,
      /** Entries per second of this process's CPU time: what an uncontended core sustains (SQLite runs in-process). */
      perCpuSecond: Math.round(entries / cpuSeconds),
    };
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : dflt;
  };
  const r = await benchAuditAppend({ entries: Number(arg('--entries', '200000')), databaseUrl: arg('--pg', null) });
  if (process.argv.includes('--json')) console.log(JSON.stringify(r));
  else
    console.log(
      `audit append (${r.dialect}): ${r.entries} entries in ${r.seconds.toFixed(2)} s = ${r.perSecond.toLocaleString('en')} entries/s ` +
        `(${r.perCpuSecond.toLocaleString('en')} per CPU-second; target ≥ 20,000)`,
    );
}
