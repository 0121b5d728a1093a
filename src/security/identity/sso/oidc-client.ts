import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import * as client from 'openid-client';
import type { OidcConfig } from '../../../config/config.js';

export type IdTokenClaims = NonNullable<ReturnType<client.TokenEndpointResponseHelpers['claims']>>;

/**
 * A fetch for openid-client that also trusts one extra CA (SEPAR_OIDC_CA_FILE, e.g. an internal CA), on top of
 * the usual roots. Used only for the identity provider's URLs.
 */
function fetchTrusting(extraCa: string): client.CustomFetch {
  const ca = [...rootCertificates, extraCa];
  return (url, options) =>
    new Promise<Response>((resolve, reject) => {
      const body =
        options.body === undefined || options.body === null
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : options.body instanceof URLSearchParams
              ? options.body.toString()
              : options.body instanceof ArrayBuffer
                ? Buffer.from(options.body)
                : undefined;
      const req = request(
        url,
        { method: options.method, headers: options.headers, ca, signal: options.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (typeof v === 'string') headers.set(k, v);
              else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
            }
            const status = res.statusCode ?? 502;
            const empty = status === 204 || status === 205 || status === 304;
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
}

/**
 * The OpenID Connect relying party (openid-client): discovery (cached; retried after a failure), authorization
 * URLs with PKCE (S256), state and nonce, and the code exchange with ID-token validation.
 */
export class OidcClient {
  private configuration: Promise<client.Configuration> | undefined;
  private readonly customFetch: client.CustomFetch | undefined;

  constructor(
    private readonly config: OidcConfig,
    readonly redirectUri: string,
  ) {
    this.customFetch = config.caFile ? fetchTrusting(readFileSync(config.caFile, 'utf8')) : undefined;
  }

  async issuer(): Promise<string> {
    return (await this.discover()).serverMetadata().issuer;
  }

  async authorizationUrl(p: { state: string; nonce: string; verifier: string }): Promise<URL> {
    const config = await this.discover();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.config.scopes,
      state: p.state,
      nonce: p.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
      code_challenge_method: 'S256',
    });
  }

  /** Exchanges the code in `callbackUrl`; checks state, nonce, PKCE, issuer, audience and expiry. */
  async exchange(callbackUrl: URL, p: { state: string; nonce: string; verifier: string }): Promise<IdTokenClaims> {
    const config = await this.discover();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: p.verifier,
      expectedState: p.state,
      expectedNonce: p.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the identity provider returned no ID token');
    return claims;
  }

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const options: client.DiscoveryRequestOptions = this.customFetch
        ? { [client.customFetch]: this.customFetch }
        : {};
      this.configuration = client.discovery(
        new URL(this.config.issuer),
        this.config.clientId,
        this.config.clientSecret ?? undefined,
        this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None(),
        options,
      );
      this.configuration.catch(() => {
        this.configuration = undefined;
      });
    }
    return this.configuration;
  }
}

export { client as openidClient };
