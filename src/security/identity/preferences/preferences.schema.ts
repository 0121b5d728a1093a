import { Type, type Static } from 'typebox';

/** Bounds of what one user may keep on the server: small, so preferences never become a storage channel. */
export const PREFERENCE_LIMITS = {
  lists: 10,
  viewsPerList: 25,
  nameLength: 80,
  columns: 60,
  keyLength: 100,
  filters: 40,
  valueLength: 500,
  searchLength: 200,
  /** The whole PUT body, in bytes. */
  bodyBytes: 64 * 1024,
} as const;

const L = PREFERENCE_LIMITS;
const strict = { additionalProperties: false } as const;
const Key = Type.String({ minLength: 1, maxLength: L.keyLength, pattern: '^[A-Za-z][A-Za-z0-9_.:-]*$' });

export const SavedViewSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: L.nameLength }),
    columns: Type.Array(Key, { maxItems: L.columns }),
    filters: Type.Record(Key, Type.String({ maxLength: L.valueLength }), {
      maxProperties: L.filters,
      additionalProperties: false,
    }),
    sort: Type.String({ maxLength: L.keyLength }),
    q: Type.Optional(Type.String({ maxLength: L.searchLength, description: 'The search text of the view' })),
  },
  strict,
);

const ListKey = Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' });

/** A user's UI preferences: the language and saved list views (per list: contacts, companies, deals …). */
export const PreferencesSchema = Type.Object(
  {
    language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('fa')])),
    savedViews: Type.Optional(
      Type.Record(ListKey, Type.Array(SavedViewSchema, { maxItems: L.viewsPerList }), {
        maxProperties: L.lists,
        additionalProperties: false,
      }),
    ),
  },
  strict,
);

export type Preferences = Static<typeof PreferencesSchema>;
export type SavedViewPreference = Static<typeof SavedViewSchema>;

export const PreferencesView = Type.Object(
  {
    preferences: PreferencesSchema,
    updatedAt: Type.Union([Type.String(), Type.Null()], { description: 'Null until the first save' }),
  },
  strict,
);
