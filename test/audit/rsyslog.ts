import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/**
 * A private rsyslogd (Debian's `rsyslog` + `rsyslog-gnutls`) for SIEM tests: its own config, imtcp on a
 * loopback port (octet-counted framing), plain or TLS (gtls), writing the parsed RFC 5424 fields of every
 * message to a file. No system configuration is read or touched.
 */

export const RSYSLOGD = '/usr/sbin/rsyslogd';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface TestPki {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export async function testPki(dir: string): Promise<TestPki> {
  const ca = await generate([{ name: 'commonName', value: 'Separ SIEM test CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const pki = { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
  writeFileSync(pki.caFile, ca.cert);
  writeFileSync(pki.certFile, server.cert);
  writeFileSync(pki.keyFile, server.private, { mode: 0o600 });
  return pki;
}

export interface Rsyslog {
  port: number;
  out: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  /** Lines written so far: protocol version, app name, msgid, structured data, message (tab-separated). */
  lines(): string[];
}

export function rsyslog(dir: string, name: string, port: number, pki: TestPki | null): Rsyslog {
  const out = join(dir, `${name}.log`);
  const conf = join(dir, `${name}.conf`);
  const pid = join(dir, `${name}.pid`);
  const global = pki
    ? `global(workDirectory="${dir}" maxMessageSize="64k" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${pki.caFile}" DefaultNetstreamDriverCertFile="${pki.certFile}" DefaultNetstreamDriverKeyFile="${pki.keyFile}")`
    : `global(workDirectory="${dir}" maxMessageSize="64k")`;
  const mod = pki
    ? 'module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")'
    : 'module(load="imtcp")';
  writeFileSync(
    conf,
    [
      global,
      mod,
      'template(name="fields" type="string" string="%protocol-version%\\t%app-name%\\t%msgid%\\t%structured-data%\\t%msg%\\n")',
      `ruleset(name="siem") { action(type="omfile" file="${out}" template="fields") }`,
      `input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="siem")`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  return {
    port,
    out,
    async start() {
      child = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', pid], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (await accepts(port)) return;
        if (Date.now() > deadline) throw new Error(`rsyslogd did not start listening on ${port}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
    lines() {
      return existsSync(out)
        ? readFileSync(out, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [];
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Sequence numbers found in rsyslog's parsed structured data. */
export function seqsIn(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const l of lines) {
    const m = /\[separ@32473 seq="(\d+)"/.exec(l);
    if (m?.[1]) out.add(Number(m[1]));
  }
  return out;
}
