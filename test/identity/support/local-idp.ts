import { generateKeyPairSync } from 'node:crypto';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { generate } from 'selfsigned';

export interface IdpAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  groups: string[];
}

export interface LoginChoice {
  accountId: string;
  amr?: string[];
  acr?: string;
}

/** A local CA and a certificate it signs for localhost/127.0.0.1, for TLS between test processes. */
export async function localCa(): Promise<{ caCert: string; cert: string; key: string }> {
  const notAfter = new Date(Date.now() + 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'Separ test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
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
  return { caCert: ca.cert, cert: leaf.cert, key: leaf.private };
}

/**
 * A real OpenID Provider (oidc-provider) on 127.0.0.1 over HTTPS for the SSO tests. Its "login page" signs in
 * whichever account the test chose (`nextLogin`), with the amr/acr the test wants, and consents automatically.
 */
export class LocalIdp {
  readonly accounts = new Map<string, IdpAccount>();
  nextLogin: LoginChoice | null = null;
  issuer = '';
  private server: Server | undefined;
  private provider: Provider | undefined;

  constructor(
    private readonly tls: { cert: string; key: string; caCert: string },
    private readonly client: { id: string; secret: string; redirectUri: string },
  ) {}

  async start(): Promise<string> {
    this.server = createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    const port = (this.server.address() as AddressInfo).port;
    this.issuer = `https://localhost:${port}`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
    this.provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: this.client.id,
          client_secret: this.client.secret,
          redirect_uris: [this.client.redirectUri],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: ['local-idp-cookie-key-0123456789abcdef'] },
      // Like most enterprise IdPs, put how the user signed in (amr, acr) into every ID token.
      claims: {
        sid: null,
        iss: null,
        openid: ['sub', 'acr', 'amr', 'auth_time'],
        email: ['email', 'email_verified'],
        profile: ['name'],
        groups: ['groups'],
      },
      scopes: ['openid', 'email', 'profile', 'groups'],
      conformIdTokenClaims: false,
      acrValues: ['urn:separ:test:mfa', 'urn:separ:test:pwd'],
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx: unknown, id: string) => {
        const account = this.accounts.get(id);
        return account ? { accountId: id, claims: () => ({ ...account }) } : undefined;
      },
    });
    return this.issuer;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Follows the provider's redirects from `authorizeUrl` like a browser (cookies kept), until it redirects to
   * the relying party; returns that URL.
   */
  async browse(authorizeUrl: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizeUrl);
    for (let hops = 0; hops < 12; hops++) {
      if (!url.href.startsWith(this.issuer)) return url;
      const res = await this.get(url, jar);
      if (!res.location)
        throw new Error(`IdP answered ${res.status} without a redirect at ${url.pathname}: ${res.body}`);
      url = new URL(res.location, url);
    }
    throw new Error('too many redirects at the IdP');
  }

  private get(url: URL, jar: Map<string, string>): Promise<{ status: number; location?: string; body: string }> {
    return new Promise((resolve, reject) => {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const req = request(url, { method: 'GET', ca: this.tls.caCert, headers: cookie ? { cookie } : {} }, (res) => {
        for (const c of res.headers['set-cookie'] ?? []) {
          const [pair = ''] = c.split(';');
          const at = pair.indexOf('=');
          if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  private async handle(
    req: Parameters<Provider['interactionDetails']>[0],
    res: Parameters<Provider['interactionDetails']>[1],
  ) {
    const provider = this.provider;
    if (!provider) return;
    if (!req.url?.startsWith('/interaction/')) {
      provider.callback()(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        const choice = this.nextLogin;
        if (!choice) throw new Error('no login chosen');
        await provider.interactionFinished(
          req,
          res,
          {
            login: {
              accountId: choice.accountId,
              ...(choice.amr ? { amr: choice.amr } : {}),
              ...(choice.acr ? { acr: choice.acr } : {}),
            },
          },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant = new provider.Grant({
        accountId: details.session?.accountId ?? '',
        clientId: details.params.client_id,
      });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  }
}
