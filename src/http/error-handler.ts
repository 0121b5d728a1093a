import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type FieldProblem } from '../platform/app-error.js';
import { sendProblem } from './problem.js';

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldName(e: AjvLikeError, context: string | undefined): string {
  const path = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
    return path ? `${path}.${e.params.additionalProperty}` : e.params.additionalProperty;
  }
  if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
    return path ? `${path}.${e.params.missingProperty}` : e.params.missingProperty;
  }
  return path || context || 'request';
}

function describe(e: AjvLikeError): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return 'is not a known field';
    case 'required':
      return 'is required';
    default:
      return e.message ?? 'is invalid';
  }
}

/** Map a Fastify validation failure to a 400 that names the field. */
export function validationProblem(err: FastifyError): AppError {
  const list = (err.validation ?? []) as AjvLikeError[];
  const context = err.validationContext;
  const errors: FieldProblem[] = list.slice(0, 20).map((e) => ({ field: fieldName(e, context), message: describe(e) }));
  const first = errors[0] ?? { field: context ?? 'request', message: 'is invalid' };
  const unknown = list[0]?.keyword === 'additionalProperties';
  return new AppError(unknown ? 'SEPAR_ERR_UNKNOWN_FIELD' : 'SEPAR_ERR_VALIDATION', 'Invalid request', {
    detail: `${context === 'querystring' ? 'Query parameter' : 'Field'} '${first.field}' ${first.message}.`,
    errors,
  });
}

const FASTIFY_CODE_MAP: Record<string, (e: FastifyError) => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new AppError('SEPAR_ERR_PAYLOAD_TOO_LARGE', 'Payload too large', { detail: 'The request body is too large.' }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new AppError('SEPAR_ERR_UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', {
      detail: 'Send the request body as application/json.',
    }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new AppError('SEPAR_ERR_MALFORMED_JSON', 'Malformed JSON', { detail: 'The JSON body is empty.' }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new AppError('SEPAR_ERR_BAD_REQUEST', 'Bad request', { detail: 'Content-Length does not match the body.' }),
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    new AppError('SEPAR_ERR_MALFORMED_JSON', 'Malformed JSON', { detail: 'The request body is not valid JSON.' }),
};

export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const fe = err as Partial<FastifyError> & { type?: string; status?: number };
  if (fe && typeof fe === 'object') {
    if (Array.isArray(fe.validation)) return validationProblem(fe as FastifyError);
    const mapped = typeof fe.code === 'string' ? FASTIFY_CODE_MAP[fe.code] : undefined;
    if (mapped) return mapped(fe as FastifyError);
    // JSON.parse failures (secure-json-parse) and prototype poisoning surface as SyntaxError / 400s.
    if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON') {
      return new AppError('SEPAR_ERR_MALFORMED_JSON', 'Malformed JSON', {
        detail: 'The request body is not valid JSON.',
      });
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : undefined;
    if (status === 400 || status === 422) {
      return new AppError('SEPAR_ERR_BAD_REQUEST', 'Bad request', { detail: 'The request could not be understood.' });
    }
    if (status === 404) return new AppError('SEPAR_ERR_NOT_FOUND', 'Not found', { detail: 'Not found.' });
    if (status === 413) {
      return new AppError('SEPAR_ERR_PAYLOAD_TOO_LARGE', 'Payload too large', {
        detail: 'The request body is too large.',
      });
    }
    if (status === 415) {
      return new AppError('SEPAR_ERR_UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', {
        detail: 'Send the request body as application/json.',
      });
    }
    if (status === 503) {
      return new AppError('SEPAR_ERR_UNAVAILABLE', 'Service unavailable', {
        detail: 'The server is busy; try again shortly.',
        headers: { 'retry-after': '5' },
      });
    }
  }
  return new AppError('SEPAR_ERR_INTERNAL', 'Internal error', {
    detail: 'Something went wrong on our side. The request id identifies it in the server log.',
    internal: err,
  });
}

/** Told about every refusal by policy (403), so it leaves evidence. */
export type RefusalListener = (req: FastifyRequest, err: AppError) => void;

export function registerErrorHandling(app: FastifyInstance, onRefused?: RefusalListener): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err);
    if (appErr.status === 403 && onRefused) onRefused(req, appErr);
    if (appErr.status >= 500) req.log.error({ err: appErr.internal ?? err, code: appErr.code }, 'request failed');
    else req.log.info({ code: appErr.code, status: appErr.status }, 'request refused');
    return sendProblem(reply, appErr);
  });
  app.setNotFoundHandler((_req, reply) =>
    sendProblem(
      reply,
      new AppError('SEPAR_ERR_NOT_FOUND', 'Not found', { detail: 'There is nothing at this address.' }),
    ),
  );
}
