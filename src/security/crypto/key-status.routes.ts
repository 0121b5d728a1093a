import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { actorOf } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import { requireCapability } from '../access/index.js';
import type { RotationService } from './rotation.service.js';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** What `separ keys status` prints, as the API answers it: versions, counts and progress — never key material. */
export const KeyStatusSchema = Type.Object(
  {
    root: Type.Object(
      {
        kind: Type.String({ description: 'keyring (passphrase-sealed file) or pkcs11 (HSM)' }),
        id: Type.String({ description: 'The root key identifier (a label, not the key)' }),
      },
      strict,
    ),
    cipher: Type.String(),
    blindHash: Type.String(),
    keks: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          version: Type.Integer(),
          status: Type.String(),
          createdAt: Type.String(),
          deks: Type.Integer({ description: 'Subject keys wrapped by this key-encryption key' }),
        },
        strict,
      ),
    ),
    epochs: Type.Array(
      Type.Object(
        {
          epoch: Type.Integer(),
          kekId: Type.String(),
          bits: Type.Integer(),
          status: Type.String(),
          indexRows: Type.Integer(),
        },
        strict,
      ),
    ),
    rotation: Nullable(
      Type.Object(
        {
          id: Type.String(),
          state: Type.String(),
          fromKekId: Type.String(),
          toKekId: Type.String(),
          toEpoch: Type.Integer(),
          progress: Type.Record(
            Type.String(),
            Type.Object({ lastSeq: Type.Integer(), done: Type.Boolean(), rows: Type.Integer() }, strict),
          ),
          startedAt: Type.String(),
          finishedAt: Nullable(Type.String()),
        },
        strict,
      ),
    ),
    deksOnOldKeks: Type.Integer({
      description: 'Subject keys still wrapped by a key-encryption key that is not active',
    }),
    secretsOnOldKeks: Type.Integer({
      description:
        'Secrets (the audit signing key, TOTP seeds) still sealed under a key-encryption key that is not active',
    }),
  },
  strict,
);

/** GET /keys/status for holders of the manage-keys capability (security officers by default). */
export function keyStatusRoutes(deps: { rotation: RotationService }): RouteModule {
  return (app: FastifyInstance): void => {
    app.get(
      '/keys/status',
      {
        schema: {
          tags: ['Keys'],
          summary: 'Field-encryption key status: root kind, key versions, blind-index epochs, rotation progress',
          response: { 200: KeyStatusSchema },
        },
      },
      async (req) => {
        requireCapability(actorOf(req), 'manage-keys');
        return deps.rotation.status();
      },
    );
  };
}
