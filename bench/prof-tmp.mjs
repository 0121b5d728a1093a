import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dist = new URL('../dist/', import.meta.url);
const { loadConfig } = await import(new URL('config/index.js', dist).href);
const { createRuntime } = await import(new URL('runtime/index.js', dist).href);
const { createLogger } = await import(new URL('platform/logger.js', dist).href);
const { systemActor } = await import(new URL('security/access/actor.js', dist).href);
const { EventBus } = await import(new URL('platform/events.js', dist).href);
const dir = mkdtempSync(join(tmpdir(), 'p-'));
const rt = await createRuntime(
  loadConfig({ SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', SEPAR_PUBLIC_URL: 'https://localhost:8443' }),
  { migrate: true, logger: createLogger('silent') },
);
const sys = systemActor('b');
const u = await rt.identity.users.createUser(sys, {
  email: 'r@b.example',
  name: 'R',
  roles: ['sales-rep'],
  password: 'Kq!zW0123456789abcdef',
});
for (const key of ['note1', 'note2', 'note3'])
  await rt.crm.fields.create(sys, {
    object: 'contacts',
    key,
    label: key,
    type: 'text',
    classification: 'restricted',
    searchable: false,
  });
const actor = {
  kind: 'user',
  userId: u.id,
  roles: ['sales-rep'],
  sessionId: null,
  tokenId: null,
  scopes: null,
  ip: '127.0.0.1',
  userAgent: 'bench',
  requestId: null,
};
for (let i = 0; i < 200; i++)
  await rt.crm.records.contacts.create(actor, {
    firstName: `F${i}`,
    lastName: 'L',
    custom: { note1: `a ${i}`, note2: `b ${i}`, note3: `c ${i}` },
  });
const svc = rt.crm.records.contacts;
const unheard = new svc.constructor({ ...svc.d, bus: new EventBus(() => undefined) });
unheard.emitSensitiveRead = () => undefined;
const cpu = async (s, n) => {
  const ids2 = (await s.list(actor, { limit: 200 })).items.map((r) => r.id);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n * 10; i++) await s.get(actor, ids2[i % ids2.length]);
  await rt.audit.service.flush();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
};
for (let r = 0; r < 3; r++)
  console.log('audited', (await cpu(svc, 300)).toFixed(0), 'unheard', (await cpu(unheard, 300)).toFixed(0));
const { Session } = await import('node:inspector/promises');
const s = new Session();
s.connect();
await s.post('Profiler.enable');
await s.post('Profiler.start');
const ids = (await svc.list(actor, { limit: 200 })).items.map((r) => r.id);
for (let i = 0; i < 6000; i++) await svc.get(actor, ids[i % ids.length]);
await rt.audit.service.flush();
const { profile } = await s.post('Profiler.stop');
(await import('node:fs')).mkdirSync('/tmp/pl', { recursive: true });
(await import('node:fs')).writeFileSync('/tmp/pl/x.cpuprofile', JSON.stringify(profile));
await rt.close();
