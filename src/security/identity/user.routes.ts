import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf, requireStepUp } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import type { IncomingHttpHeaders } from 'node:http';
import { AppError, isAppError } from '../../platform/app-error.js';
import { parseIfMatch } from '../../platform/if-match.js';
import { IdParams, NoContent, NoQuery } from './common.schema.js';
import { SessionListSchema } from './session.schema.js';
import type { SessionService } from './session.service.js';
import {
  CreateUserBody,
  IfMatchHeaders,
  ListUsersQuery,
  RoleListSchema,
  SetPasswordBody,
  UpdateUserBody,
  UserPageSchema,
  UserViewSchema,
} from './user.schema.js';
import type { UserService, UserView } from './user.service.js';

export interface UserRoutesDeps {
  users: UserService;
  sessions: SessionService;
}

interface ExpectedVersion {
  version: number;
  via: 'if-match' | 'body';
}

/** The version a PATCH expects: `If-Match: "<version>"` or a `version` field; one of them is required. */
export function expectedVersion(
  req: { headers: IncomingHttpHeaders },
  bodyVersion: number | undefined,
): ExpectedVersion {
  const version = parseIfMatch(req);
  if (version !== undefined) {
    if (bodyVersion !== undefined && bodyVersion !== version) {
      throw new AppError('SEPAR_ERR_BAD_REQUEST', 'Conflicting versions', {
        detail: 'If-Match and the version field disagree; send one of them.',
        errors: [{ field: 'version', message: 'differs from If-Match' }],
      });
    }
    return { version, via: 'if-match' };
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  throw new AppError('SEPAR_ERR_PRECONDITION_REQUIRED', 'Precondition required', {
    detail: 'Send If-Match: "<version>" or a version field, so that a concurrent change is not overwritten.',
  });
}

const withEtag = (reply: FastifyReply, user: UserView): UserView => {
  void reply.header('etag', `"${user.version}"`);
  return user;
};

export function userRoutes(deps: UserRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'List users (administrators)',
          querystring: ListUsersQuery,
          response: { 200: UserPageSchema },
        },
      },
      async (req) => deps.users.listUsers(actorOf(req), { limit: req.query.limit, cursor: req.query.cursor ?? null }),
    );

    r.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a user (administrators)',
          description: 'Without a password the user cannot sign in until an administrator sets one.',
          querystring: NoQuery,
          body: CreateUserBody,
          response: { 201: UserViewSchema },
        },
      },
      async (req, reply) => {
        const user = await deps.users.createUser(actorOf(req), {
          email: req.body.email,
          name: req.body.name,
          roles: req.body.roles,
          password: req.body.password ?? null,
        });
        void reply.header('location', `${req.url.split('?')[0] ?? ''}/${user.id}`);
        return reply.code(201).send(withEtag(reply, user));
      },
    );

    r.get(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'One user (administrators, or yourself)',
          params: IdParams,
          querystring: NoQuery,
          response: { 200: UserViewSchema },
        },
      },
      async (req, reply) => withEtag(reply, await deps.users.getUser(actorOf(req), req.params.id)),
    );

    r.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: "Change a user's name, roles or status (administrators)",
          description:
            'Needs If-Match: "<version>" (412 when stale) or a version field (409 when stale). ' +
            'Disabling a user or changing their roles ends all their sessions.',
          params: IdParams,
          querystring: NoQuery,
          headers: IfMatchHeaders,
          body: UpdateUserBody,
          response: { 200: UserViewSchema },
        },
      },
      async (req, reply) => {
        const { version, ...patch } = req.body;
        // Role changes and disabling/enabling accounts are sensitive: a session needs a recent sign-in.
        if (patch.roles !== undefined || patch.status !== undefined) requireStepUp(req);
        const expected = expectedVersion(req, version);
        try {
          const user = await deps.users.updateUser(actorOf(req), req.params.id, patch, expected.version);
          return withEtag(reply, user);
        } catch (err) {
          if (isAppError(err) && err.code === 'SEPAR_ERR_VERSION_CONFLICT' && expected.via === 'if-match') {
            throw new AppError('SEPAR_ERR_PRECONDITION_FAILED', 'Precondition failed', {
              detail: err.detail ?? 'The user was changed by someone else; reload it and try again.',
            });
          }
          throw err;
        }
      },
    );

    r.post(
      '/users/:id/password',
      {
        config: { stepUp: true },
        schema: {
          tags: ['users'],
          summary: "Set another user's password (administrators); all their sessions end",
          params: IdParams,
          querystring: NoQuery,
          body: SetPasswordBody,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.users.setPassword(actorOf(req), req.params.id, req.body.password);
        return reply.code(204).send(null);
      },
    );

    r.get(
      '/users/:id/sessions',
      {
        schema: {
          tags: ['users'],
          summary: "A user's live sessions (administrators)",
          params: IdParams,
          querystring: NoQuery,
          response: { 200: SessionListSchema },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const user = await deps.users.getUser(actor, req.params.id);
        return { items: await deps.sessions.list(actor, user.id) };
      },
    );

    r.delete(
      '/users/:id/sessions',
      {
        schema: {
          tags: ['users'],
          summary: "End all of a user's sessions (administrators)",
          params: IdParams,
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const user = await deps.users.getUser(actor, req.params.id);
        await deps.sessions.revokeAll(actor, { ownerId: user.id, includeCurrent: true });
        return reply.code(204).send(null);
      },
    );

    r.get(
      '/roles',
      {
        schema: {
          tags: ['users'],
          summary: 'The roles users can be given (administrators)',
          querystring: NoQuery,
          response: { 200: RoleListSchema },
        },
      },
      async (req) => ({ items: await deps.users.listRoles(actorOf(req)) }),
    );
  };
}
