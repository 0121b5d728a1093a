import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from './index.js';

const bad = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('has safe defaults and is frozen', () => {
    const c = loadConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8443);
    expect(c.publicUrl).toBe('https://localhost:8443');
    expect(c.insecureHttp).toBe(false);
    expect(c.session).toEqual({ idleMinutes: 15, absoluteHours: 12 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow();
  });

  it('names the key and the problem in one line', () => {
    expect(bad({ SEPAR_PORT: 'eighty' })).toBe(
      'Invalid configuration: SEPAR_PORT must be a whole number between 0 and 65535',
    );
    expect(bad({ SEPAR_PORT: '70000' })).toMatch(/^Invalid configuration: SEPAR_PORT must be between 0 and 65535/);
    expect(bad({ DATABASE_URL: 'mysql://x' })).toMatch(/^Invalid configuration: DATABASE_URL must use postgres/);
    expect(bad({ SEPAR_SIEM_FORMAT: 'xml' })).toMatch(/SEPAR_SIEM_FORMAT must be one of rfc5424, cef, json/);
    expect(bad({ SEPAR_PUBLIC_URL: 'https://crm.example.com/path' })).toMatch(
      /SEPAR_PUBLIC_URL must be an origin only/,
    );
    for (const m of [bad({ SEPAR_PORT: 'x' }), bad({ SEPAR_LOG_LEVEL: 'loud' })]) expect(m).not.toContain('\n');
  });

  it('trusts X-Forwarded-For only from stated proxy addresses, never from anyone', () => {
    const trust = (v: string) => loadConfig({ SEPAR_TRUST_PROXY: v }).trustProxy;
    expect(trust('0')).toBe(false);
    expect(trust('1')).toEqual(['127.0.0.1/8', '::1']);
    expect(trust('true')).toEqual(['127.0.0.1/8', '::1']);
    expect(trust('10.0.0.0/8, 192.0.2.7,::1')).toEqual(['10.0.0.0/8', '192.0.2.7', '::1']);
    for (const v of ['2', '10.0.0.0/33', 'proxy.example.com', '1.2.3.4/8/1', 'all', '::1/129'])
      expect(bad({ SEPAR_TRUST_PROXY: v }), v).toMatch(/^Invalid configuration: SEPAR_TRUST_PROXY must be/);
  });

  it('refuses plain HTTP off loopback and looser sessions without an explicit switch', () => {
    expect(bad({ SEPAR_INSECURE_HTTP: '1', SEPAR_HOST: '0.0.0.0' })).toMatch(
      /SEPAR_INSECURE_HTTP is only allowed on a loopback host/,
    );
    expect(loadConfig({ SEPAR_INSECURE_HTTP: '1' }).publicUrl).toBe('http://localhost:8443');
    expect(bad({ SEPAR_SESSION_IDLE_MINUTES: '60' })).toMatch(
      /SEPAR_SESSION_IDLE_MINUTES above 15 needs SEPAR_ALLOW_LOOSER_SESSIONS=1/,
    );
    expect(loadConfig({ SEPAR_SESSION_IDLE_MINUTES: '60', SEPAR_ALLOW_LOOSER_SESSIONS: '1' }).session.idleMinutes).toBe(
      60,
    );
    expect(bad({ SEPAR_TLS_CERT: '/x.pem' })).toMatch(/SEPAR_TLS_KEY must be set together/);
    expect(bad({ SEPAR_PKCS11_MODULE: '/lib.so' })).toMatch(/SEPAR_PKCS11_MODULE/);
  });

  it('reads an optional JSON config file; the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-cfg-'));
    const file = join(dir, 'separ.json');
    writeFileSync(file, JSON.stringify({ SEPAR_PORT: 9443, SEPAR_HOST: '::1' }));
    const c = loadConfig({ SEPAR_CONFIG_FILE: file, SEPAR_HOST: '127.0.0.2' });
    expect(c.port).toBe(9443);
    expect(c.host).toBe('127.0.0.2');
    writeFileSync(file, JSON.stringify({ SEPAR_PROT: 1 }));
    expect(bad({ SEPAR_CONFIG_FILE: file })).toMatch(/SEPAR_PROT .* is not a known setting/);
    writeFileSync(file, '{nope');
    expect(bad({ SEPAR_CONFIG_FILE: file })).toMatch(/not valid JSON/);
  });
});
