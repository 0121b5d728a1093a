import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS with a default export; normalise both shapes.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv,
) => Ajv;

const base: Options = {
  removeAdditional: false, // unknown fields are an error, never silently dropped
  useDefaults: true,
  allErrors: false,
  strict: false,
  allowUnionTypes: true,
};

/** Query strings, params and headers arrive as text: coerce. Bodies are JSON: never coerce. */
const coercing = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
const exact = addFormats(new Ajv({ ...base, coerceTypes: false }));

export const schemaCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? exact : coercing;
  return ajv.compile(schema as object);
};
