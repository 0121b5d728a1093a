import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import type { AuditOperations } from './audit-operations.js';
import type { AuditReader } from './audit-reader.js';
import {
  AuditEventList,
  AuditEventParams,
  AuditEventSchema,
  AuditSearchQuery,
  CheckpointSchema,
  ConsistencyProofSchema,
  ConsistencyQuery,
  InclusionProofSchema,
  NoQuery,
  ProofQuery,
  RetentionBody,
  RetentionSchema,
} from './audit.schema.js';

const tags = ['Audit'];

/**
 * /audit: search (auditor, security officer), "who accessed this" (`?targetId=`), inclusion and consistency
 * proofs, the latest signed checkpoint, retention. There is no route that changes or deletes an entry.
 */
export function auditRoutes(deps: { reader: AuditReader; operations: AuditOperations }): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/audit/events',
      {
        schema: {
          tags,
          summary: 'Search the audit log (newest first); ?targetId= answers "who accessed this record"',
          querystring: AuditSearchQuery,
          response: { 200: AuditEventList },
        },
      },
      async (req) => deps.reader.search(actorOf(req), req.query),
    );

    r.get(
      '/audit/events/:id',
      {
        schema: {
          tags,
          summary: 'One audit entry',
          params: AuditEventParams,
          querystring: NoQuery,
          response: { 200: AuditEventSchema },
        },
      },
      async (req) => deps.reader.get(actorOf(req), req.params.id),
    );

    r.get(
      '/audit/events/:id/proof',
      {
        schema: {
          tags,
          summary: 'RFC 6962 inclusion proof of an entry in a signed checkpoint (latest unless treeSize is given)',
          params: AuditEventParams,
          querystring: ProofQuery,
          response: { 200: InclusionProofSchema },
        },
      },
      async (req) => deps.reader.proof(actorOf(req), req.params.id, req.query.treeSize),
    );

    r.get(
      '/audit/consistency',
      {
        schema: {
          tags,
          summary: 'RFC 6962 consistency proof between two signed checkpoints (to the latest unless toSize is given)',
          querystring: ConsistencyQuery,
          response: { 200: ConsistencyProofSchema },
        },
      },
      async (req) => deps.reader.consistency(actorOf(req), req.query.fromSize, req.query.toSize),
    );

    r.get(
      '/audit/checkpoints/latest',
      {
        schema: {
          tags,
          summary: 'The latest signed checkpoint and the log’s verifier key',
          querystring: NoQuery,
          response: { 200: CheckpointSchema },
        },
      },
      async (req) => deps.reader.latestCheckpoint(actorOf(req)),
    );

    r.get(
      '/audit/retention',
      {
        schema: {
          tags,
          summary: 'How long entries stay online',
          querystring: NoQuery,
          response: { 200: RetentionSchema },
        },
      },
      async (req) => deps.operations.retention(actorOf(req)),
    );

    r.put(
      '/audit/retention',
      {
        config: { stepUp: true },
        schema: {
          tags,
          summary: 'Change how long entries stay online (at least 12 months; security officer; audited)',
          querystring: NoQuery,
          body: RetentionBody,
          response: { 200: RetentionSchema },
        },
      },
      async (req) => deps.operations.setRetention(actorOf(req), req.body.months),
    );
  };
}
