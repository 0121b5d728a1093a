import { Type, type TSchema } from 'typebox';

/** TypeBox schemas of the audit routes: every query/param/body is closed, every response described. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

const ActorType = Type.Union([
  Type.Literal('user'),
  Type.Literal('token'),
  Type.Literal('system'),
  Type.Literal('anonymous'),
]);
const Outcome = Type.Union([Type.Literal('success'), Type.Literal('failure')]);

export const AuditEventParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The entry’s sequence number' }) },
  { additionalProperties: false },
);

export const AuditSearchQuery = Type.Object(
  {
    actorId: Type.Optional(Text(200)),
    actorType: Type.Optional(ActorType),
    action: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: '^[A-Za-z0-9_.:-]+\\*?$',
        description: 'exact, or a prefix ending in *',
      }),
    ),
    outcome: Type.Optional(Outcome),
    targetType: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' })),
    targetId: Type.Optional(Text(200)),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive, ISO 8601' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive, ISO 8601' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);

export const ProofQuery = Type.Object(
  { treeSize: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) },
  { additionalProperties: false },
);

export const ConsistencyQuery = Type.Object(
  {
    fromSize: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    toSize: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);

export const NoQuery = Type.Object({}, { additionalProperties: false });

const Ref = Type.Object({ type: Type.String(), id: Type.String() }, { additionalProperties: false });

export const AuditEventSchema = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({ type: ActorType, id: Nullable(Type.String()) }, { additionalProperties: false }),
    action: Type.String(),
    target: Nullable(Ref),
    outcome: Outcome,
    ip: Nullable(Type.String()),
    userAgent: Nullable(Type.String()),
    requestId: Nullable(Type.String()),
    detail: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Event detail; restricted/pci values are sealed under the record’s key and never shown',
    }),
    hash: Type.String({ description: 'RFC 6962 leaf hash (hex)' }),
    prevHash: Type.String({ description: 'Leaf hash of the previous entry (hex): the hash chain' }),
  },
  { additionalProperties: false },
);

export const AuditEventList = Type.Object(
  { items: Type.Array(AuditEventSchema), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);

const B64List = Type.Array(Type.String({ description: 'base64 SHA-256' }));

export const InclusionProofSchema = Type.Object(
  {
    id: Type.Integer(),
    leafIndex: Type.Integer(),
    treeSize: Type.Integer(),
    leafHash: Type.String(),
    entry: Type.String({ description: 'Canonical entry; the leaf is SHA-256(0x00 ‖ UTF-8 bytes)' }),
    proof: B64List,
    rootHash: Type.String(),
    checkpoint: Type.String({ description: 'C2SP signed checkpoint note (Ed25519)' }),
    verifierKey: Type.String({ description: 'name+keyid+base64 key (signed-note verifier key)' }),
  },
  { additionalProperties: false },
);

export const ConsistencyProofSchema = Type.Object(
  {
    fromSize: Type.Integer(),
    toSize: Type.Integer(),
    proof: B64List,
    fromCheckpoint: Type.String(),
    toCheckpoint: Type.String(),
    verifierKey: Type.String(),
  },
  { additionalProperties: false },
);

export const CheckpointSchema = Type.Object(
  {
    origin: Type.String(),
    treeSize: Type.Integer(),
    rootHash: Type.String(),
    checkpoint: Type.String(),
    verifierKey: Type.String(),
  },
  { additionalProperties: false },
);

export const RetentionSchema = Type.Object(
  {
    months: Type.Integer({ description: 'Entries are kept online this long, then archived as signed segments' }),
    minimum: Type.Integer(),
    archivedThrough: Type.Integer({ description: 'Last sequence number moved to an archive segment (0: none)' }),
  },
  { additionalProperties: false },
);

export const RetentionBody = Type.Object(
  { months: Type.Integer({ minimum: 12, maximum: 1200 }) },
  { additionalProperties: false },
);
