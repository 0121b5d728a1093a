import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { API, call, settle } from './support.js';
import { freePort, RSYSLOGD, rsyslog, seqsIn, testPki, type Rsyslog, type TestPki } from './rsyslog.js';

/**
 * SIEM export against Debian's rsyslog: RFC 5424 over TCP and CEF over TLS, octet-counted; the receiver is
 * killed, events happen while it is down, it comes back, and every event is there (at-least-once, from the
 * cursor persisted in the database). JSON lines over HTTPS against a small receiver, same drill.
 */

const waitFor = async (what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function allSeqs(h: Harness): Promise<number[]> {
  await settle(h);
  const head = await h.rt.audit.service.repo.head();
  return Array.from({ length: Number(head.tree_size) }, (_, i) => i + 1);
}

async function activity(h: Harness, user: TestUser, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const headers = {
      ...user.headers,
      'user-agent': `agent\r\n<13>1 2026-01-01T00:00:00Z forged separ - - - injected ${i}`,
    };
    const res = await call(h.app, 'POST', `${API}/contacts`, headers, {
      firstName: `${tag}${i}`,
      lastName: 'Siem',
      email: `${tag}${i}@example.test`,
    });
    expect(res.statusCode).toBe(201);
  }
}

const hasRsyslog = existsSync(RSYSLOGD);
if (!hasRsyslog && process.env.CI === 'true') throw new Error(`${RSYSLOGD} is required in CI (Debian package rsyslog)`);

describe.skipIf(!hasRsyslog)('SIEM export to rsyslog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'separ-siem-'));
  let pki: TestPki;
  beforeAll(async () => {
    pki = await testPki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: { name: string; format: 'rfc5424' | 'cef'; tls: boolean }[] = [
    { name: 'RFC 5424 over TCP', format: 'rfc5424', tls: false },
    { name: 'CEF over TLS', format: 'cef', tls: true },
  ];

  for (const c of cases) {
    it(`delivers every event as ${c.name}, through a receiver outage`, async () => {
      const port = await freePort();
      const receiver: Rsyslog = rsyslog(dir, c.format, port, c.tls ? pki : null);
      await receiver.start();
      const h = await startHarness('sqlite', {
        env: {
          SEPAR_SIEM_URL: `${c.tls ? 'tls' : 'tcp'}://127.0.0.1:${port}`,
          SEPAR_SIEM_FORMAT: c.format,
          SEPAR_AUDIT_SIEM_ACK_MS: '500',
          SEPAR_AUDIT_SIEM_RETRY_MS: '200',
          ...(c.tls ? { SEPAR_AUDIT_SIEM_CA_FILE: pki.caFile } : {}),
        },
      });
      try {
        const user = await createUserWithToken(h, { roles: ['sales-rep'] });
        await activity(h, user, 5, 'before');
        let expected = await allSeqs(h);
        await waitFor('first events in rsyslog', () => expected.every((s) => seqsIn(receiver.lines()).has(s)));
        // Every line went through rsyslog's RFC 5424 parser: version 1, app separ, msgid = action, our SD.
        for (const line of receiver.lines()) {
          const [version, app, msgid, sd, msg] = line.split('\t');
          expect(version).toBe('1');
          expect(app).toBe('separ');
          expect(msgid).toMatch(/^[a-z][a-z._-]*$/);
          expect(sd).toMatch(/^\[separ@32473 seq="\d+" hash="[0-9a-f]{64}" outcome="(success|failure)"/);
          if (c.format === 'cef') expect(msg).toMatch(/^CEF:0\|Separ\|Separ\|[^|]+\|[^|]+\|[^|]+\|\d+\|/);
          else expect(msg).toMatch(/^\uFEFF?\{"v":1,"seq":\d+,/);
        }
        // The CR LF inside the user agent never produced a message of its own.
        expect(receiver.lines().filter((l) => l.startsWith('1\t')).length).toBe(receiver.lines().length);

        await waitFor('cursor to commit', async () => (h.rt.audit.siem?.cursor ?? 0) >= (expected.at(-1) ?? 0));
        await receiver.kill();
        await activity(h, user, 10, 'during');
        await new Promise((r) => setTimeout(r, 1000));
        expected = await allSeqs(h);
        expect(seqsIn(receiver.lines()).has(expected.at(-1) ?? 0)).toBe(false);

        await receiver.start();
        await activity(h, user, 3, 'after');
        expected = await allSeqs(h);
        await waitFor('every event after the outage', () => {
          const got = seqsIn(receiver.lines());
          return expected.every((s) => got.has(s));
        });
        const persisted = await h.rt.audit.service.repo.siemCursors.cursor(h.rt.audit.siem ? siemSinkOf(h) : '');
        expect(persisted).not.toBeNull();
      } finally {
        await h.close();
        await receiver.kill();
      }
    }, 90_000);
  }

  it('delivers JSON lines over HTTPS, resuming after the receiver was down', async () => {
    const port = await freePort();
    const received = new Map<number, string>();
    let server: Server | null = null;
    const startReceiver = async (): Promise<void> => {
      server = createServer({ cert: readFileSync(pki.certFile), key: readFileSync(pki.keyFile) }, (req, res) => {
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (d: string) => (text += d));
        req.on('end', () => {
          if (req.headers.authorization !== 'Bearer siem-secret') {
            res.statusCode = 401;
            res.end();
            return;
          }
          for (const line of text.split('\n').filter((l) => l !== '')) {
            const parsed = JSON.parse(line) as { hash: string; entry: { seq: number } };
            received.set(parsed.entry.seq, line);
          }
          res.statusCode = 204;
          res.end();
        });
      });
      const s = server;
      await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
    };
    const stopReceiver = async (): Promise<void> => {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    };
    await startReceiver();
    const h = await startHarness('sqlite', {
      env: {
        SEPAR_SIEM_URL: `https://127.0.0.1:${port}/ingest`,
        SEPAR_SIEM_FORMAT: 'json',
        SEPAR_AUDIT_SIEM_CA_FILE: pki.caFile,
        SEPAR_AUDIT_SIEM_TOKEN: 'siem-secret',
        SEPAR_AUDIT_SIEM_RETRY_MS: '200',
      },
    });
    try {
      const user = await createUserWithToken(h, { roles: ['sales-rep'] });
      await activity(h, user, 3, 'json');
      let expected = await allSeqs(h);
      await waitFor('JSON events', () => expected.every((s) => received.has(s)));
      await stopReceiver();
      await activity(h, user, 5, 'down');
      await new Promise((r) => setTimeout(r, 500));
      await startReceiver();
      expected = await allSeqs(h);
      await waitFor('JSON events after the outage', () => expected.every((s) => received.has(s)));
      const line = received.get(expected.at(-1) ?? 0) ?? '';
      expect(line).toMatch(/^\{"hash":"[0-9a-f]{64}","entry":\{"v":1,"seq":\d+,/);
    } finally {
      await h.close();
      await stopReceiver();
    }
  }, 60_000);
});

function siemSinkOf(h: Harness): string {
  const url = new URL(h.config.siemUrl ?? '');
  return `${url.toString()}#${h.config.siemFormat}`;
}
