// Full verification of a 1,000,000-entry audit log (target ≤ 10 s): every leaf recomputed from its
// canonical bytes, the hash chain, stored Merkle nodes, and the root at every signed checkpoint. Also times
// the standalone verifier (tools/verify-audit.mjs) on an export of the same log.
//
//   node bench/audit-verify.mjs [--entries N] [--pg postgres://…] [--no-standalone] [--json]
//
// Exports `benchAuditVerify({ entries, databaseUrl, standalone })` for bench/run.mjs.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openBenchRuntime, sampleInput } from './audit-append.mjs';

const dist = new URL('../dist/', import.meta.url);
const { verifyLog } = await import(new URL('security/audit/audit-verifier.js', dist).href);
const { systemActor } = await import(new URL('security/access/actor.js', dist).href);
const VERIFIER = fileURLToPath(new URL('../tools/verify-audit.mjs', import.meta.url));

export async function benchAuditVerify({ entries = 1_000_000, databaseUrl = null, standalone = true } = {}) {
  const { rt, close } = await openBenchRuntime(databaseUrl);
  const tmp = mkdtempSync(join(tmpdir(), 'separ-bench-verify-'));
  try {
    const audit = rt.audit.service;
    const g0 = performance.now();
    const wave = 20_000;
    const have = Number((await audit.repo.head()).tree_size);
    for (let done = have; done < entries; done += wave) {
      const n = Math.min(wave, entries - done);
      const batch = new Array(n);
      for (let i = 0; i < n; i++) batch[i] = audit.record(sampleInput(done + i));
      await Promise.all(batch);
    }
    await audit.log.append([], true);
    const generateSeconds = (performance.now() - g0) / 1000;

    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const report = await verifyLog(audit.repo, { heartbeatMs: 3600_000 });
    const cpu = process.cpuUsage(c0);
    const seconds = (performance.now() - t0) / 1000;
    if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.firstBad)}`);

    let standaloneSeconds = null;
    if (standalone) {
      const dir = join(tmp, 'export');
      await rt.audit.operations.export(systemActor('bench'), dir);
      const key = join(tmp, 'key.pub');
      writeFileSync(key, `${audit.verifierKey}\n`);
      const s0 = performance.now();
      const r = spawnSync(process.execPath, [VERIFIER, dir, '--key', key], { encoding: 'utf8' });
      standaloneSeconds = (performance.now() - s0) / 1000;
      if (r.status !== 0) throw new Error(`standalone verifier failed: ${r.stdout}${r.stderr}`);
    }
    return {
      dialect: rt.db.dialect,
      entries: report.entries,
      checkpoints: report.checkpoints,
      generateSeconds,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      standaloneSeconds,
    };
  } finally {
    await close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : dflt;
  };
  const r = await benchAuditVerify({
    entries: Number(arg('--entries', '1000000')),
    databaseUrl: arg('--pg', null),
    standalone: !process.argv.includes('--no-standalone'),
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify(r));
  else {
    console.log(
      `audit verify (${r.dialect}): ${r.entries.toLocaleString('en')} entries, ${r.checkpoints} checkpoints in ` +
        `${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(2)} CPU-s; target ≤ 10 s)` +
        (r.standaloneSeconds === null
          ? ''
          : `; standalone verifier on the export: ${r.standaloneSeconds.toFixed(2)} s`),
    );
    console.log(`  (generating the log took ${r.generateSeconds.toFixed(1)} s)`);
  }
}
