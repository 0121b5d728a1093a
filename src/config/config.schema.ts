import { isIP } from 'node:net';

/**
 * Every setting Separ reads, in one table: environment name, default, and a parser that either
 * returns the typed value or throws ConfigValueError with what is wrong. `loadConfig` turns the
 * table into one frozen object; nothing else reads process.env.
 */
export class ConfigValueError extends Error {}

type Parser<T> = (raw: string) => T;

const str: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new ConfigValueError('must not be empty');
  return raw;
};

const int =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigValueError(`must be a whole number between ${min} and ${max}`);
    const n = Number(raw.trim());
    if (n < min || n > max) throw new ConfigValueError(`must be between ${min} and ${max} (got ${n})`);
    return n;
  };

const bool: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigValueError('must be 1/0, true/false, yes/no or on/off');
};

const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) => {
    const v = raw.trim() as T;
    if (!values.includes(v)) throw new ConfigValueError(`must be one of ${values.join(', ')} (got '${raw}')`);
    return v;
  };

const url =
  (...protocols: string[]): Parser<string> =>
  (raw) => {
    let u: URL;
    try {
      u = new URL(raw.trim());
    } catch {
      throw new ConfigValueError('is not a valid URL');
    }
    if (!protocols.includes(u.protocol)) {
      throw new ConfigValueError(`must use ${protocols.map((p) => p.replace(/:$/, '://')).join(' or ')}`);
    }
    return raw.trim();
  };

/** A CIDR block: an IPv4 or IPv6 address and a prefix length that fits it. */
const isCidr = (v: string): boolean => {
  const [addr = '', prefix, extra] = v.split('/');
  const family = isIP(addr);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

/**
 * Which reverse proxies' `X-Forwarded-For` to believe: their addresses (IPs or CIDR blocks, comma-separated); the
 * client is the nearest address in the header that is not one of them. `1` (or true) means a proxy on this machine
 * (loopback). `0` (default): none, the client is the peer. Never "any proxy" nor a hop count: a client would then
 * pick its own address by sending the header itself, since an appending proxy keeps what it received.
 */
const proxyTrust: Parser<false | readonly string[]> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  if (['1', 'true', 'yes', 'on'].includes(v)) return Object.freeze(['127.0.0.1/8', '::1']);
  const list = v.split(',').map((x) => x.trim());
  const bad = list.find((x) => !isCidr(x));
  if (bad !== undefined)
    throw new ConfigValueError(
      `must be 0, 1 (a proxy on this machine) or the proxies' IP addresses / CIDR blocks (not '${bad}')`,
    );
  return Object.freeze(list);
};

const host: Parser<string> = (raw) => {
  const v = raw.trim();
  if (isIP(v) || /^[a-zA-Z0-9.-]{1,253}$/.test(v)) return v;
  throw new ConfigValueError('must be an IP address or host name');
};

const publicUrl: Parser<string> = (raw) => {
  const v = url('https:', 'http:')(raw);
  const u = new URL(v);
  if (u.pathname !== '/' || u.search || u.hash || u.username) {
    throw new ConfigValueError('must be an origin only, like https://crm.example.com');
  }
  return u.origin;
};

const list: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

const ROLE_NAME = /^(\*|[a-z0-9][a-z0-9-]{0,63})$/;

/** One role's MFA rule: the methods it may use, and whether MFA may be skipped (`optional`). */
export interface MfaRoleRule {
  methods: ('totp' | 'webauthn')[];
  optional: boolean;
}

/**
 * `role=methods;role=methods` with methods from totp, webauthn and the flag `optional` (MFA not required), and
 * `*` for every other role. Example (the default): `admin=webauthn;security-officer=webauthn;*=totp,webauthn`.
 */
const mfaPolicy: Parser<Record<string, MfaRoleRule>> = (raw) => {
  const out: Record<string, MfaRoleRule> = {};
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const [role = '', methods = ''] = entry.split('=', 2).map((x) => x.trim());
    if (!ROLE_NAME.test(role)) throw new ConfigValueError(`has a bad role name '${role.slice(0, 40)}'`);
    if (role in out) throw new ConfigValueError(`names role '${role}' twice`);
    const words = list(methods);
    const rule: MfaRoleRule = { methods: [], optional: false };
    for (const w of words) {
      if (w === 'totp' || w === 'webauthn') {
        if (!rule.methods.includes(w)) rule.methods.push(w);
      } else if (w === 'optional') rule.optional = true;
      else throw new ConfigValueError(`has an unknown method '${w.slice(0, 40)}' (use totp, webauthn, optional)`);
    }
    if (rule.methods.length === 0) throw new ConfigValueError(`gives role '${role}' no method (totp, webauthn)`);
    out[role] = rule;
  }
  if (!('*' in out)) out['*'] = { methods: ['totp', 'webauthn'], optional: false };
  return out;
};

/** `group=role,role;group2=role`: IdP groups to Separ roles. */
const roleMap: Parser<Record<string, string[]>> = (raw) => {
  const out: Record<string, string[]> = {};
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const at = entry.lastIndexOf('=');
    const group = at > 0 ? entry.slice(0, at).trim() : '';
    const roles = list(at > 0 ? entry.slice(at + 1) : '');
    if (group === '' || roles.length === 0)
      throw new ConfigValueError(`has an entry '${entry.slice(0, 60)}' that is not group=role[,role]`);
    for (const r of roles)
      if (!ROLE_NAME.test(r) || r === '*') throw new ConfigValueError(`maps to a bad role '${r.slice(0, 40)}'`);
    out[group] = [...new Set([...(out[group] ?? []), ...roles])];
  }
  return out;
};

const email: Parser<string> = (raw) => {
  const v = raw.trim();
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(v) && !/^[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>$/.test(v)) {
    throw new ConfigValueError('must be an email address, optionally with a name: Separ <no-reply@example.com>');
  }
  return v;
};

export const CONFIG_SCHEMA = {
  dataDir: { env: 'SEPAR_DATA_DIR', default: './data', parse: str },
  host: { env: 'SEPAR_HOST', default: '127.0.0.1', parse: host },
  port: { env: 'SEPAR_PORT', default: '8443', parse: int(0, 65535) },
  publicUrl: { env: 'SEPAR_PUBLIC_URL', default: '', parse: publicUrl },
  databaseUrl: { env: 'DATABASE_URL', default: '', parse: url('postgres:', 'postgresql:') },
  redisUrl: { env: 'REDIS_URL', default: '', parse: url('redis:', 'rediss:') },
  passphrase: { env: 'SEPAR_PASSPHRASE', default: '', parse: str },
  passphraseFile: { env: 'SEPAR_PASSPHRASE_FILE', default: '', parse: str },
  pkcs11Module: { env: 'SEPAR_PKCS11_MODULE', default: '', parse: str },
  pkcs11Token: { env: 'SEPAR_PKCS11_TOKEN', default: '', parse: str },
  pkcs11Pin: { env: 'SEPAR_PKCS11_PIN', default: '', parse: str },
  tlsCert: { env: 'SEPAR_TLS_CERT', default: '', parse: str },
  tlsKey: { env: 'SEPAR_TLS_KEY', default: '', parse: str },
  insecureHttp: { env: 'SEPAR_INSECURE_HTTP', default: '0', parse: bool },
  siemUrl: { env: 'SEPAR_SIEM_URL', default: '', parse: url('tcp:', 'tls:', 'https:') },
  siemFormat: { env: 'SEPAR_SIEM_FORMAT', default: 'rfc5424', parse: oneOf('rfc5424', 'cef', 'json') },
  logLevel: {
    env: 'SEPAR_LOG_LEVEL',
    default: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  sessionIdleMinutes: { env: 'SEPAR_SESSION_IDLE_MINUTES', default: '15', parse: int(1, 1440) },
  sessionAbsoluteHours: { env: 'SEPAR_SESSION_ABSOLUTE_HOURS', default: '12', parse: int(1, 720) },
  allowLooserSessions: { env: 'SEPAR_ALLOW_LOOSER_SESSIONS', default: '0', parse: bool },
  bodyLimitBytes: { env: 'SEPAR_BODY_LIMIT_BYTES', default: '1048576', parse: int(1024, 64 * 1024 * 1024) },
  requestTimeoutMs: { env: 'SEPAR_REQUEST_TIMEOUT_MS', default: '30000', parse: int(1000, 600_000) },
  trustProxy: { env: 'SEPAR_TRUST_PROXY', default: '0', parse: proxyTrust },
  serverTiming: { env: 'SEPAR_SERVER_TIMING', default: '0', parse: bool },
  defaultPhoneRegion: {
    env: 'SEPAR_DEFAULT_PHONE_REGION',
    default: 'IR',
    parse: oneOf('IR', 'DE', 'CA', 'US', 'GB', 'FR', 'TR', 'AE'),
  },
  dbPoolSize: { env: 'SEPAR_DB_POOL_SIZE', default: '10', parse: int(1, 200) },
  keyringFile: { env: 'SEPAR_KEYRING_FILE', default: '', parse: str },
  cipher: { env: 'SEPAR_CIPHER', default: 'xchacha20-poly1305', parse: oneOf('xchacha20-poly1305', 'aes-256-gcm') },
  blindIndexRows: { env: 'SEPAR_BLIND_INDEX_ROWS', default: '1000000', parse: int(1000, 1_000_000_000) },
  // Authentication (issue 4)
  mfaPolicy: {
    env: 'SEPAR_MFA_POLICY',
    default: 'admin=webauthn;security-officer=webauthn;*=totp,webauthn',
    parse: mfaPolicy,
  },
  stepUpMinutes: { env: 'SEPAR_STEP_UP_MINUTES', default: '5', parse: int(1, 60) },
  lockoutThreshold: { env: 'SEPAR_LOCKOUT_THRESHOLD', default: '10', parse: int(3, 10) },
  lockoutMinutes: { env: 'SEPAR_LOCKOUT_MINUTES', default: '30', parse: int(30, 1440) },
  deviceLockoutThreshold: { env: 'SEPAR_DEVICE_LOCKOUT_THRESHOLD', default: '5', parse: int(3, 10) },
  loginRatePerIp: { env: 'SEPAR_LOGIN_RATE_PER_IP', default: '30', parse: int(1, 100_000) },
  loginRateGlobal: { env: 'SEPAR_LOGIN_RATE_GLOBAL', default: '600', parse: int(1, 1_000_000) },
  idleAccountDays: { env: 'SEPAR_IDLE_ACCOUNT_DAYS', default: '90', parse: int(1, 90) },
  redisKeyPrefix: { env: 'SEPAR_REDIS_KEY_PREFIX', default: 'separ:', parse: str },
  smtpUrl: { env: 'SEPAR_SMTP_URL', default: '', parse: url('smtp:', 'smtps:') },
  mailFrom: { env: 'SEPAR_MAIL_FROM', default: '', parse: email },
  oidcIssuer: { env: 'SEPAR_OIDC_ISSUER', default: '', parse: url('https:') },
  oidcClientId: { env: 'SEPAR_OIDC_CLIENT_ID', default: '', parse: str },
  oidcClientSecret: { env: 'SEPAR_OIDC_CLIENT_SECRET', default: '', parse: str },
  oidcScopes: { env: 'SEPAR_OIDC_SCOPES', default: 'openid email profile', parse: str },
  oidcGroupsClaim: { env: 'SEPAR_OIDC_GROUPS_CLAIM', default: 'groups', parse: str },
  oidcRoleMap: { env: 'SEPAR_OIDC_ROLE_MAP', default: '', parse: roleMap },
  oidcDefaultRoles: { env: 'SEPAR_OIDC_DEFAULT_ROLES', default: '', parse: list },
  oidcJit: { env: 'SEPAR_OIDC_JIT', default: '1', parse: bool },
  oidcMfaAmr: { env: 'SEPAR_OIDC_MFA_AMR', default: '', parse: list },
  oidcMfaAcr: { env: 'SEPAR_OIDC_MFA_ACR', default: '', parse: list },
  oidcCaFile: { env: 'SEPAR_OIDC_CA_FILE', default: '', parse: str },
  // Audit trail (issue 6)
  auditRetentionMonths: { env: 'SEPAR_AUDIT_RETENTION_MONTHS', default: '12', parse: int(12, 1200) },
  auditCheckpointMs: { env: 'SEPAR_AUDIT_CHECKPOINT_MS', default: '1000', parse: int(10, 1000) },
  auditCheckpointEntries: { env: 'SEPAR_AUDIT_CHECKPOINT_ENTRIES', default: '1000', parse: int(1, 1000) },
  auditHeartbeatSeconds: { env: 'SEPAR_AUDIT_HEARTBEAT_SECONDS', default: '3600', parse: int(1, 3600) },
  auditBatchMs: { env: 'SEPAR_AUDIT_BATCH_MS', default: '20', parse: int(0, 50) },
  auditBatchMax: { env: 'SEPAR_AUDIT_BATCH_MAX', default: '2000', parse: int(1, 10_000) },
  auditArchiveDir: { env: 'SEPAR_AUDIT_ARCHIVE_DIR', default: '', parse: str },
  auditSiemCaFile: { env: 'SEPAR_AUDIT_SIEM_CA_FILE', default: '', parse: str },
  auditSiemToken: { env: 'SEPAR_AUDIT_SIEM_TOKEN', default: '', parse: str },
  auditSiemAckMs: { env: 'SEPAR_AUDIT_SIEM_ACK_MS', default: '2000', parse: int(0, 60_000) },
  auditSiemRetryMs: { env: 'SEPAR_AUDIT_SIEM_RETRY_MS', default: '5000', parse: int(50, 300_000) },
} as const;

type Schema = typeof CONFIG_SCHEMA;
type Parsed<K extends keyof Schema> = ReturnType<Schema[K]['parse']>;
export type ConfigKey = keyof Schema;
export type RawConfig = { [K in ConfigKey]: Parsed<K> | undefined };
