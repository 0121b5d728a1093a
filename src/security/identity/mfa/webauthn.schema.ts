import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { Type, type Static } from 'typebox';

/** WebAuthn JSON shapes (W3C WebAuthn Level 3 `toJSON()` forms, as @simplewebauthn/browser sends them). */

const B64 = (max: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*={0,2}$', maxLength: max });
const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 });
/** Extension inputs/outputs: open by nature (credProps, largeBlob…); bounded in size. */
const Extensions = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 16 });
const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]);

export const RegistrationCredential = Type.Object(
  {
    id: B64(1024),
    rawId: B64(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64(16_384),
        attestationObject: B64(65_536),
        authenticatorData: Type.Optional(B64(16_384)),
        transports: Type.Optional(Transports),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(B64(16_384)),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
  },
  { additionalProperties: false },
);
export type RegistrationCredential = Static<typeof RegistrationCredential>;

export const AuthenticationCredential = Type.Object(
  {
    id: B64(1024),
    rawId: B64(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64(16_384),
        authenticatorData: B64(16_384),
        signature: B64(4096),
        userHandle: Type.Optional(B64(1024)),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: Extensions,
  },
  { additionalProperties: false },
);
export type AuthenticationCredential = Static<typeof AuthenticationCredential>;

const Descriptor = Type.Object(
  { id: Type.String(), type: Type.Literal('public-key'), transports: Type.Optional(Type.Array(Type.String())) },
  { additionalProperties: false },
);

export const RequestOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    timeout: Type.Optional(Type.Integer()),
    rpId: Type.Optional(Type.String()),
    allowCredentials: Type.Optional(Type.Array(Descriptor)),
    userVerification: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  { additionalProperties: false, description: 'Pass to navigator.credentials.get() (or startAuthentication)' },
);

export const CreationOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    rp: Type.Object({ name: Type.String(), id: Type.Optional(Type.String()) }, { additionalProperties: false }),
    user: Type.Object(
      { id: Type.String(), name: Type.String(), displayName: Type.String() },
      { additionalProperties: false },
    ),
    pubKeyCredParams: Type.Array(
      Type.Object({ alg: Type.Integer(), type: Type.Literal('public-key') }, { additionalProperties: false }),
    ),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(Descriptor)),
    authenticatorSelection: Type.Optional(
      Type.Object(
        {
          authenticatorAttachment: Type.Optional(Type.String()),
          residentKey: Type.Optional(Type.String()),
          requireResidentKey: Type.Optional(Type.Boolean()),
          userVerification: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    hints: Type.Optional(Type.Array(Type.String())),
    attestation: Type.Optional(Type.String()),
    attestationFormats: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Extensions),
  },
  { additionalProperties: false, description: 'Pass to navigator.credentials.create() (or startRegistration)' },
);

type RequestOptions = Static<typeof RequestOptionsSchema>;
type CreationOptions = Static<typeof CreationOptionsSchema>;

const extensionsOf = (e: object | undefined): Record<string, unknown> | undefined =>
  e === undefined ? undefined : { ...(e as Record<string, unknown>) };

interface DescriptorLike {
  id: string;
  transports?: readonly string[];
}
const descriptors = (list: readonly DescriptorLike[] | undefined) =>
  list?.map((d) => ({
    id: d.id,
    type: 'public-key' as const,
    ...(d.transports === undefined ? {} : { transports: [...d.transports] }),
  }));

/** Copies `value` into `out` under `key` unless it is undefined (optional response fields stay absent). */
function put<T extends object, K extends keyof T>(out: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) out[key] = value;
}

/** The library's options as the route's response shape (same fields, plain JSON types). */
export function requestOptionsJson(o: PublicKeyCredentialRequestOptionsJSON): RequestOptions {
  const out: RequestOptions = { challenge: o.challenge };
  put(out, 'timeout', o.timeout);
  put(out, 'rpId', o.rpId);
  put(out, 'allowCredentials', descriptors(o.allowCredentials));
  put(out, 'userVerification', o.userVerification);
  put(out, 'hints', o.hints ? [...o.hints] : undefined);
  put(out, 'extensions', extensionsOf(o.extensions));
  return out;
}

export function creationOptionsJson(o: PublicKeyCredentialCreationOptionsJSON): CreationOptions {
  const out: CreationOptions = {
    challenge: o.challenge,
    rp: { name: o.rp.name, ...(o.rp.id === undefined ? {} : { id: o.rp.id }) },
    user: { id: o.user.id, name: o.user.name, displayName: o.user.displayName },
    pubKeyCredParams: o.pubKeyCredParams.map((p) => ({ alg: p.alg, type: 'public-key' as const })),
  };
  put(out, 'timeout', o.timeout);
  put(out, 'excludeCredentials', descriptors(o.excludeCredentials));
  if (o.authenticatorSelection) {
    const a = o.authenticatorSelection;
    const sel: NonNullable<CreationOptions['authenticatorSelection']> = {};
    put(sel, 'authenticatorAttachment', a.authenticatorAttachment);
    put(sel, 'residentKey', a.residentKey);
    put(sel, 'requireResidentKey', a.requireResidentKey);
    put(sel, 'userVerification', a.userVerification);
    out.authenticatorSelection = sel;
  }
  put(out, 'hints', o.hints ? [...o.hints] : undefined);
  put(out, 'attestation', o.attestation);
  put(out, 'attestationFormats', o.attestationFormats ? [...o.attestationFormats] : undefined);
  put(out, 'extensions', extensionsOf(o.extensions));
  return out;
}
