import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const bad = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('authentication settings', () => {
  it('defaults to MFA for everyone, passkeys for administrators and security officers, strict limits', () => {
    const c = loadConfig({});
    expect(c.auth.mfaPolicy).toEqual({
      admin: { methods: ['webauthn'], optional: false },
      'security-officer': { methods: ['webauthn'], optional: false },
      '*': { methods: ['totp', 'webauthn'], optional: false },
    });
    expect(c.auth).toMatchObject({
      stepUpMinutes: 5,
      lockoutThreshold: 10,
      lockoutMinutes: 30,
      deviceLockoutThreshold: 5,
      idleAccountDays: 90,
    });
    expect(c.mail).toEqual({ smtpUrl: null, from: 'Separ <no-reply@localhost.localdomain>' });
    expect(c.oidc).toBeNull();
    expect(Object.isFrozen(c.auth)).toBe(true);
  });

  it('parses a policy, adding the default rule for other roles', () => {
    const c = loadConfig({ SEPAR_MFA_POLICY: 'auditor=totp,optional; admin=webauthn' });
    expect(c.auth.mfaPolicy).toEqual({
      auditor: { methods: ['totp'], optional: true },
      admin: { methods: ['webauthn'], optional: false },
      '*': { methods: ['totp', 'webauthn'], optional: false },
    });
  });

  it('refuses bad policies, looser-than-standard limits and half-configured SSO, naming the key', () => {
    expect(bad({ SEPAR_MFA_POLICY: 'admin=sms' })).toMatch(/SEPAR_MFA_POLICY has an unknown method 'sms'/);
    expect(bad({ SEPAR_MFA_POLICY: 'admin=optional' })).toMatch(/gives role 'admin' no method/);
    expect(bad({ SEPAR_MFA_POLICY: 'admin=totp;admin=webauthn' })).toMatch(/names role 'admin' twice/);
    expect(bad({ SEPAR_LOCKOUT_THRESHOLD: '11' })).toMatch(/SEPAR_LOCKOUT_THRESHOLD must be between 3 and 10/);
    expect(bad({ SEPAR_LOCKOUT_MINUTES: '5' })).toMatch(/SEPAR_LOCKOUT_MINUTES must be between 30 and 1440/);
    expect(bad({ SEPAR_IDLE_ACCOUNT_DAYS: '120' })).toMatch(/SEPAR_IDLE_ACCOUNT_DAYS must be between 1 and 90/);
    expect(bad({ SEPAR_STEP_UP_MINUTES: '30' })).toMatch(/SEPAR_STEP_UP_MINUTES above 5 needs SEPAR_ALLOW_LOOSER/);
    expect(loadConfig({ SEPAR_STEP_UP_MINUTES: '30', SEPAR_ALLOW_LOOSER_SESSIONS: '1' }).auth.stepUpMinutes).toBe(30);
    expect(bad({ SEPAR_OIDC_ISSUER: 'https://idp.example.com' })).toMatch(/SEPAR_OIDC_ISSUER and SEPAR_OIDC_CLIENT_ID/);
    expect(bad({ SEPAR_OIDC_ISSUER: 'http://idp.example.com', SEPAR_OIDC_CLIENT_ID: 'x' })).toMatch(/must use https/);
    expect(bad({ SEPAR_OIDC_ROLE_MAP: 'sales' })).toMatch(/SEPAR_OIDC_ROLE_MAP has an entry 'sales'/);
    expect(bad({ SEPAR_SMTP_URL: 'http://mail' })).toMatch(/SEPAR_SMTP_URL must use smtp:\/\/ or smtps:\/\//);
    expect(bad({ SEPAR_MAIL_FROM: 'not an address' })).toMatch(/SEPAR_MAIL_FROM must be an email address/);
  });

  it('refuses an IP address as the public URL while passkeys are required (it cannot be a relying-party id)', () => {
    expect(bad({ SEPAR_PUBLIC_URL: 'https://127.0.0.1:8443' })).toMatch(
      /SEPAR_PUBLIC_URL cannot be an IP address while SEPAR_MFA_POLICY requires passkeys/,
    );
    expect(
      loadConfig({ SEPAR_PUBLIC_URL: 'https://127.0.0.1:8443', SEPAR_MFA_POLICY: '*=totp,webauthn' }).publicUrl,
    ).toBe('https://127.0.0.1:8443');
  });

  it('reads SSO settings', () => {
    const c = loadConfig({
      SEPAR_OIDC_ISSUER: 'https://idp.example.com/realms/acme',
      SEPAR_OIDC_CLIENT_ID: 'separ',
      SEPAR_OIDC_ROLE_MAP: 'crm-sales=sales-rep;crm-leads=sales-manager,sales-rep',
      SEPAR_OIDC_MFA_AMR: 'mfa, hwk',
    });
    expect(c.oidc).toMatchObject({
      issuer: 'https://idp.example.com/realms/acme',
      clientId: 'separ',
      clientSecret: null,
      roleMap: { 'crm-sales': ['sales-rep'], 'crm-leads': ['sales-manager', 'sales-rep'] },
      mfaAmr: ['mfa', 'hwk'],
      jit: true,
    });
  });
});
