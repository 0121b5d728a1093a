import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, constants as cryptoConstants } from 'node:crypto';
import { hostname } from 'node:os';
import { generate } from 'selfsigned';
import type { SecureContextOptions } from 'node:tls';

export interface TlsMaterial {
  /** The certificate chain to serve (PEM): the localhost certificate, then the local CA that signed it. */
  cert: string;
  key: string;
  generated: boolean;
  certPath: string;
  /** The local CA's certificate, when the certificate was generated here: what to trust (like mkcert). */
  caPath: string | null;
  /** The local CA was created by this call (first start): print how to trust it. */
  caGenerated: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
/** Browsers refuse leaf certificates valid for more than 398 days. */
const LEAF_DAYS = 397;
const CA_YEARS = 10;

function valid(pem: string, marginMs: number): boolean {
  try {
    return new Date(new X509Certificate(pem).validTo).getTime() - Date.now() > marginMs;
  } catch {
    return false;
  }
}

/** A local certificate authority for this data directory (created once; its key never leaves `tls/`). */
async function ensureLocalCa(dir: string): Promise<{ cert: string; key: string; path: string; generated: boolean }> {
  const path = join(dir, 'separ-local-ca.crt');
  const keyPath = join(dir, 'separ-local-ca.key.pem');
  if (existsSync(path) && existsSync(keyPath)) {
    const cert = readFileSync(path, 'utf8');
    if (valid(cert, 30 * DAY_MS)) return { cert, key: readFileSync(keyPath, 'utf8'), path, generated: false };
  }
  const notAfter = new Date(Date.now() + CA_YEARS * 365 * DAY_MS);
  const pems = await generate(
    [
      {
        name: 'commonName',
        value: `Separ local CA (${hostname().slice(0, 40)}, ${new Date().toISOString().slice(0, 10)})`,
      },
      { name: 'organizationName', value: 'Separ development CA' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    },
  );
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(path, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, path, generated: true };
}

/**
 * The configured certificate, or one for localhost generated into the data dir on first start: signed by a
 * local CA created alongside (ECDSA P-256; leaf 397 days with SAN localhost/127.0.0.1/::1; CA 10 years), the way
 * mkcert does it. Trusting the CA once (see `localCaTrustInstructions`) makes browsers accept the certificate —
 * which passkeys need: browsers refuse WebAuthn on pages with certificate errors. Regenerated when expiring.
 */
export async function ensureTlsMaterial(
  dataDir: string,
  certFile: string | null,
  keyFile: string | null,
): Promise<TlsMaterial> {
  if (certFile && keyFile) {
    return {
      cert: readFileSync(certFile, 'utf8'),
      key: readFileSync(keyFile, 'utf8'),
      generated: false,
      certPath: certFile,
      caPath: null,
      caGenerated: false,
    };
  }
  const dir = join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await ensureLocalCa(dir);
  const certPath = join(dir, 'localhost.crt');
  const keyPath = join(dir, 'localhost.key.pem');
  if (!ca.generated && existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, 'utf8');
    if (valid(cert, DAY_MS) && cert.includes(ca.cert.trim())) {
      return {
        cert,
        key: readFileSync(keyPath, 'utf8'),
        generated: false,
        certPath,
        caPath: ca.path,
        caGenerated: false,
      };
    }
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + LEAF_DAYS * DAY_MS),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const chain = `${pems.cert.trim()}\n${ca.cert.trim()}\n`;
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, chain, { mode: 0o644 });
  return { cert: chain, key: pems.private, generated: true, certPath, caPath: ca.path, caGenerated: ca.generated };
}

/** How to make this machine's browsers trust the local CA (printed at first start, like mkcert). */
export function localCaTrustInstructions(caPath: string, publicUrl: string): string {
  return [
    `Separ created a local certificate authority for its localhost certificate: ${caPath}`,
    'Trust it once on this machine so browsers accept https://localhost (passkeys refuse pages with certificate errors):',
    `  Debian/Ubuntu:    sudo cp '${caPath}' /usr/local/share/ca-certificates/separ-local-ca.crt && sudo update-ca-certificates`,
    `  Chrome/Chromium on Linux (NSS; apt install libnss3-tools):`,
    `                    certutil -d sql:$HOME/.pki/nssdb -A -t 'C,,' -n 'Separ local CA' -i '${caPath}'`,
    `  Firefox:          Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import`,
    `  macOS:            sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain '${caPath}'`,
    `  Windows:          certutil -addstore -f ROOT separ-local-ca.crt`,
    `Then open ${publicUrl} (a host name, not 127.0.0.1: a passkey's relying party cannot be an IP address).`,
    'The CA key stays in the data directory (mode 0600): anyone holding it can impersonate sites to browsers that',
    'trust this CA. Evaluation only; in production set SEPAR_TLS_CERT and SEPAR_TLS_KEY.',
  ].join('\n');
}

/** TLS 1.2 minimum, 1.3 preferred; only AEAD forward-secret suites for 1.2. */
export function tlsServerOptions(material: TlsMaterial): SecureContextOptions & { minVersion: 'TLSv1.2' } {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: [
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_AES_128_GCM_SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305',
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
    ].join(':'),
    honorCipherOrder: true,
    secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
  };
}
