import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalEntry, prepare, type AuditEntry, type AuditInput } from '../../src/security/audit/canonical.js';
import { cef, frame, jsonLine, rfc5424 } from '../../src/security/audit/siem/siem-format.js';
import { inputFromEvent, plainReadInput } from '../../src/security/audit/event-mapper.js';
import { sensitiveReads } from '../../src/crm/records/sensitive-reads.js';
import type { FieldMode } from '../../src/security/access/index.js';
import type { FieldDefinition } from '../../src/security/classification/index.js';
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
    // Invisible characters between the groups do not hide a card number from the audit log either.
    const hidden = prepare(input({ detail: { note: 'pay 4111\u200b1111\u200b1111\u200b1111 now' } })).detail;
    expect(hidden).toBe('{"note":"pay 411111******1111 now"}');
    // Nor does writing it in full-width or Devanagari digits.
    const scripts = prepare(
      input({ detail: { a: '４１１１１１１１１１１１１１１１', b: '४१११ ११११ ११११ ११११' } }),
    ).detail;
    expect(scripts).toBe('{"a":"411111******1111","b":"411111******1111"}');
    // Or mathematical (astral) digits, or a combining mark under each digit.
    const math = [...'4111111111111111'].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join('');
    const underlined = [...'4111111111111111'].map((d) => `${d}\u0332`).join('');
    const odd = prepare(input({ detail: { a: `pan ${math}`, b: underlined } })).detail;
    expect(odd).toBe('{"a":"pan 411111******1111","b":"411111******1111\u0332"}');
    // A control character next to a card is escaped only after the card is masked: its escape's hex digits
    // (\u0009, \u2028) would otherwise have joined the first group and hidden the number from the scan.
    const pasted = prepare(
      input({ detail: { tab: 'card:\t4111 1111 1111 1111', sep: 'card:\u20284111 1111 1111 1111' } }),
    );
    expect(pasted.detail).toBe('{"sep":"card:\\\\u2028411111******1111","tab":"card:\\\\u0009411111******1111"}');
    // Characters that reorder or hide the text around them reach neither the log nor a SIEM console as such
    // ("Acme \u202Egnp.exe" shows as "Acme exe.png"); Persian's zero-width non-joiner is kept.
    const bidi = prepare(
      input({
        userAgent: 'ua\u202e\u2066x',
        detail: { name: 'Acme \u202Egnp.exe\u2066 | cs1=spoof\u200f\ufeff', fa: 'می\u200cخواهم' },
      }),
    );
    expect(bidi.userAgent).toBe('ua\\u202e\\u2066x');
    // Tag characters (invisible text), the soft hyphen and blank fillers too; beyond U+FFFF in braces.
    const invisible = prepare(input({ userAgent: 'a\u00adb\u3164c\u{E0041}\u{E0042}d' })).userAgent;
    expect(invisible).toBe('a\\u00adb\\u3164c\\u{e0041}\\u{e0042}d');
    expect(bidi.detail).toBe(
      '{"fa":"می\u200cخواهم","name":"Acme \\\\u202egnp.exe\\\\u2066 | cs1=spoof\\\\u200f\\\\ufeff"}',
    );
    // UUIDs and hashes keep their digits.
    const id = '01935c2e-7d1a-7c3b-9a51-300012345678';
    expect(prepare(input({ detail: { id, hash: '4'.repeat(64) } })).detail).toContain(id);
  });

  const field = (
    key: string,
    classification: FieldDefinition['classification'],
    builtin = true,
    type: FieldDefinition['type'] = 'text',
  ): FieldDefinition => ({ key, classification, builtin, type }) as FieldDefinition;

  it('group list reads by the fields shown and index every record read', () => {
    const fields = [field('email', 'restricted'), field('phone', 'restricted'), field('firstName', 'public')];
    fields.push(field('note', 'pci', false));
    const clear: readonly FieldMode[] = ['read', 'read', 'read', 'read'];
    const reads = sensitiveReads(
      [
        { id: 'a', email: 'a@x', phone: '1', firstName: 'A' },
        { id: 'b', email: 'b@x', phone: '2' },
        { id: 'c', email: 'c@x', phone: null },
        { id: 'd', firstName: 'D' },
        { id: 'e', email: 'e@x', phone: '5', custom: { note: '4111…' } },
        { id: 'f', email: 'f@x', phone: '6' },
      ],
      fields,
      () => clear,
    );
    expect(reads).toEqual([
      { fields: ['email', 'phone'], masked: [], ids: ['a', 'b', 'f'] },
      { fields: ['email'], masked: [], ids: ['c'] },
      { fields: ['email', 'phone', 'custom.note'], masked: [], ids: ['e'] },
    ]);
    const input = inputFromEvent({
      type: 'record.sensitive_read',
      at: '2026-03-01T08:00:00.000Z',
      outcome: 'success',
      context: { actorId: 'u-1', actorType: 'user', ip: null, userAgent: null, requestId: null },
      detail: { object: 'contacts', reads: [...reads, { fields: [], ids: [7, null] }, null] },
    });
    expect(input.refs).toEqual(['a', 'b', 'f', 'c', 'e']);
  });

  it("tell a view of masks from a view of values, by each record's own modes; card numbers are always masks", () => {
    const fields = [
      field('email', 'restricted'),
      field('phone', 'restricted'),
      field('paymentCard', 'pci', true, 'card'),
      field('note', 'restricted', false),
    ];
    // Own records: email and the note in clear, phone masked; others' records: everything masked.
    const own: readonly FieldMode[] = ['write', 'masked-write', 'write', 'read'];
    const other: readonly FieldMode[] = ['masked', 'masked', 'masked', 'masked'];
    const reads = sensitiveReads(
      [
        { id: 'a', ownerId: 'me', email: 'a@x', phone: '+98…', custom: { note: 'n' } },
        { id: 'b', ownerId: 'you', email: 'b***@x', phone: '+98…' },
        { id: 'c', ownerId: 'me', email: 'c@x', phone: '+98…', custom: { note: 'n' } },
        { id: 'd', ownerId: 'me', paymentCard: '411111******1111' },
        { id: 'e', ownerId: 'you', email: 'e***@x', phone: null },
      ],
      fields,
      (r) => (r.ownerId === 'me' ? own : other),
    );
    expect(reads).toEqual([
      { fields: ['email', 'custom.note'], masked: ['phone'], ids: ['a', 'c'] },
      { fields: [], masked: ['email', 'phone'], ids: ['b'] },
      { fields: [], masked: ['paymentCard'], ids: ['d'] },
      { fields: [], masked: ['email'], ids: ['e'] },
    ]);
    // The append thread prepares exactly these shapes itself; any other stays on the event loop (null).
    const event = (detail: Record<string, unknown>) =>
      plainReadInput(
        inputFromEvent({
          type: 'record.sensitive_read',
          at: '2026-03-01T08:00:00.000Z',
          outcome: 'success',
          context: { actorId: 'u-1', actorType: 'user', ip: null, userAgent: null, requestId: null },
          detail,
        }),
      );
    expect(event({ object: 'contacts', reads })?.detail).toEqual({ object: 'contacts', reads });
    // Only RecordEvents' own shape crosses; the two-key groups of before the distinction no longer do.
    expect(event({ object: 'contacts', reads: [{ fields: ['email'], ids: ['a'] }] })).toBeNull();
    expect(event({ object: 'contacts', reads: [{ fields: [], masked: [1], ids: ['a'] }] })).toBeNull();
    expect(event({ object: 'contacts', reads: [{ fields: [], other: ['x'], ids: ['a'] }] })).toBeNull();
    expect(event({ object: 'contacts', reads: [{ fields: [], masked: ['email'], ids: ['a'], x: 1 }] })).toBeNull();
    expect(event({ object: 'contacts', reads: [{ fields: [], masked: ['email'] }] })).toBeNull();
    // What is checked is what crosses: a hidden (non-enumerable) key, a getter or a symbol keeps it on the loop.
    const hidden = { fields: ['email'], ids: ['a'], extra: 'x' };
    Object.defineProperty(hidden, 'masked', { value: ['phone'], enumerable: false });
    const getter = {
      fields: ['email'],
      ids: ['a'],
      get masked() {
        return ['phone'];
      },
    };
    const symbol = { fields: ['email'], ids: ['a'], [Symbol('s')]: ['x'] };
    for (const g of [hidden, getter, symbol]) expect(event({ object: 'contacts', reads: [g] })).toBeNull();
  });

  it('write detail text that JSON.stringify of the cleaned, key-sorted value would give, hostile values too', () => {
    const hostile = JSON.parse(
      readFileSync(new URL('../../../shared/testdata/hostile-inputs.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const strings = Object.values(hostile)
      .flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : []))
      .filter((v): v is string => typeof v === 'string');
    strings.push(
      'a"b\\c',
      '\ud800',
      'x\udc00y',
      '😀'.repeat(3),
      '01935c2e-7d1a-7c3b-9a51-300012345678',
      'e'.repeat(64),
    );
    // The reference: clean every string, sort keys, then JSON.stringify (what the writer replaced).
    const reference = (v: unknown, depth = 0): unknown => {
      if (typeof v === 'string') return (JSON.parse(prepare(input({ detail: { s: v } })).detail) as { s: unknown }).s;
      if (v === undefined) return undefined;
      if (depth >= 8 && typeof v === 'object' && v !== null) return '[too deep]';
      if (Array.isArray(v)) return v.map((x) => reference(x, depth + 1) ?? null);
      if (typeof v !== 'object' || v === null) return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const c = reference((v as Record<string, unknown>)[k], depth + 1);
        if (c !== undefined) out[k] = c;
      }
      return out;
    };
    const values: unknown[] = [
      strings,
      { a: strings.slice(0, 20), n: [1, -0, 2.5e-7, 1e21, true, false, null, undefined], z: { y: { x: 'deep' } } },
      Object.fromEntries(strings.slice(0, 40).map((s, i) => [`k${i}`, s])),
      { nested: [[[[[[[[['too deep']]]]]]]]] },
      {
        reads: [{ fields: ['email', 'custom.note'], ids: ['01935c2e-7d1a-7c3b-9a51-300012345678'] }],
        object: 'contacts',
      },
    ];
    for (const value of values) {
      const text = prepare(input({ detail: { value } })).detail;
      expect(text).toBe(JSON.stringify({ value: reference(value, 1) }));
    }
    // The entry's own fields are quoted the same way (the outside verifier uses JSON.stringify).
    for (const str of strings) {
      const p = prepare(input({ requestId: str, target: { type: 'contacts', id: str } }));
      const text = canonicalEntry({ ...p, seq: 1, prev: '0'.repeat(64) });
      expect(text).toContain(`"id":${JSON.stringify(p.targetId)}},`);
      expect(text).toContain(`"rid":${JSON.stringify(p.requestId)},`);
    }
    // Strings need cleaning: the reference above is only trustworthy because these hold.
    const mixed = prepare(input({ detail: { s: 'a\u0000b\u2028x 4111 1111 1111 1111 \ud800"' } })).detail;
    expect(mixed).toBe('{"s":"a\\\\u0000b\\\\u2028x 411111******1111 \ufffd\\""}');
  });

  it('sort keys by code unit (integer-like keys too), drop undefined, keep the first of keys that clean alike', () => {
    expect(prepare(input({ detail: { 10: 'a', 9: 'b', b: undefined, a: [undefined, () => 1] } })).detail).toBe(
      '{"10":"a","9":"b","a":[null,null]}',
    );
    expect(prepare(input({ detail: { 'k\\u000a': 'escaped', 'k\n': 'control' } })).detail).toBe(
      '{"k\\\\u000a":"control"}',
    );
    expect(prepare(input({ detail: { Password: 'x', token: null, list: new Array(1002).fill('v') } })).detail).toMatch(
      /^\{"Password":"\[redacted\]","list":\["v",.*,"v","\[2 more\]"\]\}$/,
    );
  });

  it('cut long strings without leaving half a surrogate pair (which storage would turn into U+FFFD)', () => {
    const p = prepare(input({ userAgent: `${'a'.repeat(511)}😀tail`, detail: { note: `${'b'.repeat(4095)}😀` } }));
    expect(p.userAgent).toBe(`${'a'.repeat(511)}…[truncated]`);
    expect(p.detail).toBe(`{"note":"${'b'.repeat(4095)}…[truncated]"}`);
    const text = canonicalEntry({ ...p, seq: 1, prev: '0'.repeat(64) });
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });

  it('index the target and every record a read names, cleaned like the detail', () => {
    const id = '01935c2e-7d1a-7c3b-9a51-300012345678';
    const p = prepare(
      input({
        target: { type: 'contacts', id },
        detail: { object: 'contacts', reads: [{ fields: ['email'], ids: [id, 'x\ny'] }] },
        refs: [id, 'x\ny', 'z'.repeat(300), ''],
      }),
    );
    expect(p.refs).toEqual([id, 'x\\u000ay', `${'z'.repeat(200)}…[truncated]`]);
    expect(p.detail).toContain('"x\\\\u000ay"');
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
