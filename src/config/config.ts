import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { CONFIG_SCHEMA, ConfigValueError, type ConfigKey, type MfaRoleRule } from './config.schema.js';

/** Authentication rules (issue 4). */
export interface AuthConfig {
  /** Per role: allowed MFA methods and whether MFA may be skipped; `*` covers every other role. */
  readonly mfaPolicy: Readonly<Record<string, Readonly<MfaRoleRule>>>;
  /** Sensitive actions need a sign-in, MFA answer or step-up within this many minutes. */
  readonly stepUpMinutes: number;
  /** Consecutive failures before unknown devices are locked out of an account, and for how long. */
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
  /** Consecutive failures a known device (signed device cookie) may make before it counts as unknown. */
  readonly deviceLockoutThreshold: number;
  /** Login attempts per minute, per client IP and for the whole server. */
  readonly loginRatePerIp: number;
  readonly loginRateGlobal: number;
  readonly idleAccountDays: number;
  readonly redisKeyPrefix: string;
}

export interface MailConfig {
  /** `smtp://` or `smtps://` (user:password@host:port); null: mail is not sent (logged as skipped). */
  readonly smtpUrl: string | null;
  readonly from: string;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly scopes: string;
  readonly groupsClaim: string;
  readonly roleMap: Readonly<Record<string, readonly string[]>>;
  readonly defaultRoles: readonly string[];
  readonly jit: boolean;
  /** amr values (any of) and acr values that count as MFA done at the IdP; empty: local MFA always applies. */
  readonly mfaAmr: readonly string[];
  readonly mfaAcr: readonly string[];
  /** Extra CA certificate (PEM file) trusted for the IdP's HTTPS, e.g. an internal CA. */
  readonly caFile: string | null;
}

/** Audit trail (issue 6). */
export interface AuditConfig {
  /** Entries stay online (searchable) this long, then move to signed archive segments; at least 12. */
  readonly retentionMonths: number;
  /** A signed checkpoint at least this often (ms) and every this many entries. */
  readonly checkpointMs: number;
  readonly checkpointEntries: number;
  /** A heartbeat entry (and checkpoint) at least this often, so a silent gap in logging shows. */
  readonly heartbeatSeconds: number;
  /** Group commit: an append waits at most batchMs for others, or until batchMax are queued. */
  readonly batchMs: number;
  readonly batchMax: number;
  /** Where archived segments are written. */
  readonly archiveDir: string;
  /** Extra CA certificate (PEM file) trusted for tls:// and https:// SIEM receivers. */
  readonly siemCaFile: string | null;
  /** Bearer token sent to an https:// SIEM receiver. */
  readonly siemToken: string | null;
  /** tcp:// and tls:// (no acknowledgement): a send counts as delivered once its connection stayed up this long. */
  readonly siemAckMs: number;
  /** Longest wait between SIEM reconnection attempts. */
  readonly siemRetryMs: number;
}

export interface SeparConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly databaseUrl: string | null;
  readonly redisUrl: string | null;
  readonly passphrase: string | null;
  readonly passphraseFile: string | null;
  readonly pkcs11: { readonly module: string; readonly token: string; readonly pin: string } | null;
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  readonly insecureHttp: boolean;
  readonly siemUrl: string | null;
  readonly siemFormat: 'rfc5424' | 'cef' | 'json';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly session: { readonly idleMinutes: number; readonly absoluteHours: number };
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  /** Reverse proxies whose X-Forwarded-For is believed (IPs / CIDR blocks), or none. */
  readonly trustProxy: false | readonly string[];
  /** Add `Server-Timing: app;dur=<ms>` to every response (benchmarks); off by default: it sharpens timing probes. */
  readonly serverTiming: boolean;
  readonly defaultPhoneRegion: string;
  readonly dbPoolSize: number;
  readonly auth: AuthConfig;
  readonly mail: MailConfig;
  /** Single sign-on with an OpenID Connect provider; null when not configured. */
  readonly oidc: OidcConfig | null;
  /** Sealed keyring file (root key), kept apart from the database. */
  readonly keyringFile: string;
  /** AEAD for field encryption: XChaCha20-Poly1305 (default) or AES-256-GCM (FIPS-approved). */
  readonly cipher: 'xchacha20-poly1305' | 'aes-256-gcm';
  /** Expected rows per blind index: sizes the index so each value shares it with a few others. */
  readonly blindIndexRows: number;
  readonly audit: AuditConfig;
}

/** One line, naming the key and what is wrong: what start-up prints before it stops. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${key} ${problem}`);
    this.name = 'ConfigError';
  }
}

const CONFIG_FILE_ENV = 'SEPAR_CONFIG_FILE';

function readConfigFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(CONFIG_FILE_ENV, `points to '${path}', which cannot be read`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(CONFIG_FILE_ENV, `points to '${path}', which is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(CONFIG_FILE_ENV, 'must contain a JSON object of SEPAR_* keys');
  }
  const known = new Set<string>(Object.values(CONFIG_SCHEMA).map((d) => d.env));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!known.has(k)) throw new ConfigError(k, `(in ${path}) is not a known setting`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ConfigError(k, `(in ${path}) must be a string, number or boolean`);
    }
    out[k] = String(v);
  }
  return out;
}

/**
 * Validate environment (+ optional JSON config file named by SEPAR_CONFIG_FILE; the environment
 * wins) into a frozen, typed object. Throws ConfigError on the first bad key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SeparConfig {
  const filePath = env[CONFIG_FILE_ENV];
  const fromFile = filePath ? readConfigFile(filePath) : {};
  const values: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(CONFIG_SCHEMA) as [ConfigKey, (typeof CONFIG_SCHEMA)[ConfigKey]][]) {
    const raw = env[def.env] ?? fromFile[def.env];
    if (raw === undefined || (raw === '' && def.default === '')) {
      values[key] = def.default === '' ? undefined : def.parse(def.default);
      continue;
    }
    try {
      values[key] = def.parse(raw);
    } catch (e) {
      if (e instanceof ConfigValueError) throw new ConfigError(def.env, e.message);
      throw e;
    }
  }
  const v = values as {
    [K in ConfigKey]: ReturnType<(typeof CONFIG_SCHEMA)[K]['parse']> | undefined;
  };

  const insecureHttp = v.insecureHttp ?? false;
  const host = v.host ?? '127.0.0.1';
  if (insecureHttp && !isLoopback(host)) {
    throw new ConfigError('SEPAR_INSECURE_HTTP', `is only allowed on a loopback host (SEPAR_HOST is '${host}')`);
  }
  if ((v.tlsCert === undefined) !== (v.tlsKey === undefined)) {
    throw new ConfigError(
      v.tlsCert ? 'SEPAR_TLS_KEY' : 'SEPAR_TLS_CERT',
      'must be set together with the other TLS file',
    );
  }
  const pk = [v.pkcs11Module, v.pkcs11Token, v.pkcs11Pin];
  if (pk.some((x) => x !== undefined) && pk.some((x) => x === undefined)) {
    throw new ConfigError(
      'SEPAR_PKCS11_MODULE',
      'SEPAR_PKCS11_MODULE, SEPAR_PKCS11_TOKEN and SEPAR_PKCS11_PIN go together',
    );
  }
  if (v.passphrase !== undefined && v.passphraseFile !== undefined) {
    throw new ConfigError('SEPAR_PASSPHRASE', 'and SEPAR_PASSPHRASE_FILE cannot both be set');
  }
  const idle = v.sessionIdleMinutes ?? 15;
  const absolute = v.sessionAbsoluteHours ?? 12;
  if (!(v.allowLooserSessions ?? false)) {
    if (idle > 15) throw new ConfigError('SEPAR_SESSION_IDLE_MINUTES', 'above 15 needs SEPAR_ALLOW_LOOSER_SESSIONS=1');
    if (absolute > 12)
      throw new ConfigError('SEPAR_SESSION_ABSOLUTE_HOURS', 'above 12 needs SEPAR_ALLOW_LOOSER_SESSIONS=1');
  }
  const stepUpMinutes = v.stepUpMinutes ?? 5;
  if (stepUpMinutes > 5 && !(v.allowLooserSessions ?? false)) {
    throw new ConfigError('SEPAR_STEP_UP_MINUTES', 'above 5 needs SEPAR_ALLOW_LOOSER_SESSIONS=1');
  }
  const oidcParts = [v.oidcIssuer, v.oidcClientId];
  if (oidcParts.some((x) => x !== undefined) && oidcParts.some((x) => x === undefined)) {
    throw new ConfigError('SEPAR_OIDC_ISSUER', 'and SEPAR_OIDC_CLIENT_ID go together');
  }
  const port = v.port ?? 8443;
  const scheme = insecureHttp ? 'http' : 'https';
  const publicUrl = v.publicUrl ?? `${scheme}://localhost:${port}`;
  const mfaPolicy = v.mfaPolicy ?? { '*': { methods: ['totp', 'webauthn'], optional: false } };
  const publicHost = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  const passkeysRequired = Object.values(mfaPolicy).some(
    (r) => !r.optional && r.methods.length === 1 && r.methods[0] === 'webauthn',
  );
  if (isIP(publicHost) && passkeysRequired) {
    throw new ConfigError(
      'SEPAR_PUBLIC_URL',
      `cannot be an IP address while SEPAR_MFA_POLICY requires passkeys (a WebAuthn relying-party id is a host name): use https://localhost:${port} or a DNS name`,
    );
  }

  const config: SeparConfig = {
    dataDir: resolve(v.dataDir ?? './data'),
    host,
    port,
    publicUrl,
    databaseUrl: v.databaseUrl ?? null,
    redisUrl: v.redisUrl ?? null,
    passphrase: v.passphrase ?? null,
    passphraseFile: v.passphraseFile ?? null,
    pkcs11:
      v.pkcs11Module && v.pkcs11Token && v.pkcs11Pin
        ? Object.freeze({ module: v.pkcs11Module, token: v.pkcs11Token, pin: v.pkcs11Pin })
        : null,
    tlsCert: v.tlsCert ?? null,
    tlsKey: v.tlsKey ?? null,
    insecureHttp,
    siemUrl: v.siemUrl ?? null,
    siemFormat: v.siemFormat ?? 'rfc5424',
    logLevel: v.logLevel ?? 'info',
    session: Object.freeze({ idleMinutes: idle, absoluteHours: absolute }),
    bodyLimitBytes: v.bodyLimitBytes ?? 1048576,
    requestTimeoutMs: v.requestTimeoutMs ?? 30000,
    trustProxy: v.trustProxy ?? false,
    serverTiming: v.serverTiming ?? false,
    defaultPhoneRegion: v.defaultPhoneRegion ?? 'IR',
    dbPoolSize: v.dbPoolSize ?? 10,
    auth: Object.freeze({
      mfaPolicy: Object.freeze(mfaPolicy),
      stepUpMinutes,
      lockoutThreshold: v.lockoutThreshold ?? 10,
      lockoutMinutes: v.lockoutMinutes ?? 30,
      deviceLockoutThreshold: v.deviceLockoutThreshold ?? 5,
      loginRatePerIp: v.loginRatePerIp ?? 30,
      loginRateGlobal: v.loginRateGlobal ?? 600,
      idleAccountDays: v.idleAccountDays ?? 90,
      redisKeyPrefix: v.redisKeyPrefix ?? 'separ:',
    }),
    mail: Object.freeze({
      smtpUrl: v.smtpUrl ?? null,
      from: v.mailFrom ?? `Separ <no-reply@${publicHost.includes('.') ? publicHost : 'localhost.localdomain'}>`,
    }),
    oidc:
      v.oidcIssuer && v.oidcClientId
        ? Object.freeze({
            issuer: v.oidcIssuer,
            clientId: v.oidcClientId,
            clientSecret: v.oidcClientSecret ?? null,
            scopes: v.oidcScopes ?? 'openid email profile',
            groupsClaim: v.oidcGroupsClaim ?? 'groups',
            roleMap: Object.freeze(v.oidcRoleMap ?? {}),
            defaultRoles: Object.freeze(v.oidcDefaultRoles ?? []),
            jit: v.oidcJit ?? true,
            mfaAmr: Object.freeze(v.oidcMfaAmr ?? []),
            mfaAcr: Object.freeze(v.oidcMfaAcr ?? []),
            caFile: v.oidcCaFile ?? null,
          })
        : null,
    keyringFile: resolve(v.keyringFile ?? join(resolve(v.dataDir ?? './data'), 'keyring.json')),
    cipher: v.cipher ?? 'xchacha20-poly1305',
    blindIndexRows: v.blindIndexRows ?? 1_000_000,
    audit: Object.freeze({
      retentionMonths: v.auditRetentionMonths ?? 12,
      checkpointMs: v.auditCheckpointMs ?? 1000,
      checkpointEntries: v.auditCheckpointEntries ?? 1000,
      heartbeatSeconds: v.auditHeartbeatSeconds ?? 3600,
      batchMs: v.auditBatchMs ?? 20,
      batchMax: v.auditBatchMax ?? 2000,
      archiveDir: resolve(v.auditArchiveDir ?? join(resolve(v.dataDir ?? './data'), 'audit-archive')),
      siemCaFile: v.auditSiemCaFile ?? null,
      siemToken: v.auditSiemToken ?? null,
      siemAckMs: v.auditSiemAckMs ?? 2000,
      siemRetryMs: v.auditSiemRetryMs ?? 5000,
    }),
  };
  return Object.freeze(config);
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Test helper: a config for a data dir, overriding selected environment keys. */
export function configFor(overrides: Record<string, string>): SeparConfig {
  return loadConfig({ ...overrides });
}
