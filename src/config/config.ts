import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { CONFIG_SCHEMA, ConfigValueError, type ConfigKey } from './config.schema.js';

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
  readonly trustProxy: boolean;
  readonly defaultPhoneRegion: string;
  readonly dbPoolSize: number;
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
  const port = v.port ?? 8443;
  const scheme = insecureHttp ? 'http' : 'https';
  const publicUrl = v.publicUrl ?? `${scheme}://localhost:${port}`;

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
    defaultPhoneRegion: v.defaultPhoneRegion ?? 'IR',
    dbPoolSize: v.dbPoolSize ?? 10,
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
