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
  trustProxy: { env: 'SEPAR_TRUST_PROXY', default: '0', parse: bool },
  defaultPhoneRegion: {
    env: 'SEPAR_DEFAULT_PHONE_REGION',
    default: 'IR',
    parse: oneOf('IR', 'DE', 'CA', 'US', 'GB', 'FR', 'TR', 'AE'),
  },
  dbPoolSize: { env: 'SEPAR_DB_POOL_SIZE', default: '10', parse: int(1, 200) },
} as const;

type Schema = typeof CONFIG_SCHEMA;
type Parsed<K extends keyof Schema> = ReturnType<Schema[K]['parse']>;
export type ConfigKey = keyof Schema;
export type RawConfig = { [K in ConfigKey]: Parsed<K> | undefined };
