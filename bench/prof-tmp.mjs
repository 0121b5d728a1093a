import { openBenchRuntime, sampleInput } from './audit-append.mjs';
const dist = new URL('../dist/', import.meta.url);
const { verifyLog } = await import(new URL('security/audit/audit-verifier.js', dist).href);
const { rt, close } = await openBenchRuntime();
const audit = rt.audit.service;
for (let done = 0; done < 100000; done += 20000) await Promise.all(Array.from({ length: 20000 }, (_, i) => audit.record(sampleInput(done + i))));
await audit.log.append([], true);
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
for (let k = 0; k < 3; k++) {
const c0 = process.cpuUsage(); const t0 = performance.now();
const r = await verifyLog(audit.repo, { heartbeatMs: 3600000 });
const c = process.cpuUsage(c0); console.log('cpu s', (c.user + c.system) / 1e6, 'wall', (performance.now()-t0)/1000, r.ok);
}
const { profile } = await s.post('Profiler.stop');
(await import('node:fs')).mkdirSync('/tmp/pv', { recursive: true });
(await import('node:fs')).writeFileSync('/tmp/pv/x.cpuprofile', JSON.stringify(profile));
await close();
