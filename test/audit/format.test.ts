import { describe, expect, it } from 'vitest';
import { canonicalEntry, prepare, type AuditEntry, type AuditInput } from '../../src/security/audit/canonical.js';
import { cef, frame, jsonLine, rfc5424 } from '../../src/security/audit/siem/siem-format.js';
import { groupReads } from '../../src/security/audit/event-mapper.js';
import { leafHash } from '../../src/security/audit/merkle.js';

const input = (over: Partial<AuditInput> = {}): AuditInput => ({
  at: '2026-03-01T08:00:00.000Z',
  actor: { type: 'user', id: 'u-1' },
  action: 'record.updated',
  target: { type: 'contacts', id: 'c-1' },
  outcome: 'success',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  requestId: 'r-1',
  detail: {},
  ...over,
});

const entry = (over: Partial<AuditInput> = {}, seq = 7): AuditEntry => {
  const p = prepare(input(over));
  const e = { ...p, seq, prev: '0'.repeat(64) };
  return { ...e, hash: leafHash(canonicalEntry(e)).toString('hex') };
};

describe('canonical audit entries', () => {
  it('are deterministic: key order, no whitespace, the detail sorted and embedded verbatim', () => {
    const a = prepare(input({ detail: { b: 1, a: { d: [2, 1], c: 'x' } } }));
    const b = prepare(input({ detail: { a: { c: 'x', d: [2, 1] }, b: 1 } }));
    expect(a.detail).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
    expect(b.detail).toBe(a.detail);
    const text = canonicalEntry({ ...a, seq: 1, prev: '0'.repeat(64) });
    expect(text).toBe(
      '{"v":1,"seq":1,"at":"2026-03-01T08:00:00.000Z","actor":{"type":"user","id":"u-1"},"action":"record.updated",' +
        '"target":{"type":"contacts","id":"c-1"},"outcome":"success","ip":"203.0.113.7","ua":"Mozilla/5.0","rid":"r-1",' +
        `"detail":{"a":{"c":"x","d":[2,1]},"b":1},"prev":"${'0'.repeat(64)}"}`,
    );
    expect(JSON.parse(text)).toMatchObject({ seq: 1, detail: { b: 1 } });
  });

  it('escape control characters and lone surrogates, mask card numbers, never keep credentials', () => {
    const p = prepare(
      input({
        userAgent: 'a\r\nb\u0000c\u2028d',
        detail: { note: 'card 4111 1111 1111 1111 ok', password: 'hunter2', nested: { token: 'abc' }, bad: '\ud800x' },
      }),
    );
    expect(p.userAgent).toBe('a\\u000d\\u000ab\\u0000c\\u2028d');
    expect(p.detail).not.toContain('hunter2');
    expect(p.detail).not.toContain('"abc"');
    expect(p.detail).toContain('411111******1111');
    expect(p.detail).not.toContain('4111 1111 1111 1111');
    expect(p.detail).toContain('\ufffdx');
    // UUIDs and hashes keep their digits.
    const id = '01935c2e-7d1a-7c3b-9a51-300012345678';
    expect(prepare(input({ detail: { id, hash: '4'.repeat(64) } })).detail).toContain(id);
  });

  it('group list reads by the fields shown and index every record read', () => {
    expect(
      groupReads([
        { id: 'a', fields: ['email', 'phone'] },
        { id: 'b', fields: ['email', 'phone'] },
        { id: 'c', fields: ['email'] },
      ]),
    ).toEqual([
      { fields: ['email', 'phone'], ids: ['a', 'b'] },
      { fields: ['email'], ids: ['c'] },
    ]);
  });
});

describe('SIEM formats', () => {
  it('frames RFC 5424 by octet count, with structured data escaped and the canonical entry as message', () => {
    const e = entry({ actor: { type: 'user', id: 'x"]\\y' } });
    const msg = rfc5424(e);
    expect(msg).toMatch(
      /^<110>1 2026-03-01T08:00:00\.000Z \S+ separ \d+ record\.updated \[separ@32473 seq="7" hash="[0-9a-f]{64}"/,
    );
    expect(msg).toContain('actorId="x\\"\\]\\\\y"');
    expect(msg.endsWith(`\ufeff${canonicalEntry(e)}`)).toBe(true);
    const framed = frame('rfc5424', msg).toString();
    expect(framed).toBe(`${Buffer.byteLength(msg)} ${msg}`);
    expect(rfc5424(entry({ outcome: 'failure' }))).toMatch(/^<108>1 /);
  });

  it('escapes CEF header and extension values', () => {
    const c = cef(entry({ action: 'a|b', detail: { k: 'v=1\\' } }));
    expect(c).toContain('CEF:0|Separ|Separ|');
    expect(c).toContain('|a\\|b|a\\|b|3|');
    expect(c).toContain('msg={"k":"v\\=1\\\\\\\\"}');
    expect(c).toContain('externalId=7');
  });

  it('writes JSON lines whose entry hashes to the stated leaf', () => {
    const e = entry();
    const line = jsonLine(e);
    const parsed = JSON.parse(line) as { hash: string; entry: unknown };
    expect(parsed.hash).toBe(e.hash);
    expect(frame('json', line).toString()).toBe(`${line}\n`);
    expect(leafHash(canonicalEntry(e)).toString('hex')).toBe(e.hash);
  });
});
