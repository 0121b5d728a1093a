import type { FastifyReply } from 'fastify';
import type { AppError } from '../platform/app-error.js';
import { type FieldProblem } from '../platform/app-error.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldProblem[];
}

const TYPE_BASE = 'https://separ.dev/problems/';

export function problemFrom(err: AppError, requestId: string): Problem {
  const p: Problem = {
    type:
      TYPE_BASE +
      err.code
        .replace(/^SEPAR_ERR_/, '')
        .toLowerCase()
        .replace(/_/g, '-'),
    title: err.message,
    status: err.status,
    detail: err.detail ?? err.message,
    code: err.code,
    requestId,
  };
  if (err.errors && err.errors.length > 0) p.errors = err.errors;
  return p;
}

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
  return reply
    .code(err.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(problemFrom(err, reply.request.id)));
}
