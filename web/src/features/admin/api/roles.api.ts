import type { paths } from '../../../lib/api/schema';
import { api, unwrap } from '../../../lib/api/client';
import { withStepUp } from '../../../lib/step-up';

export type RoleDetail = paths['/api/v1/roles/{id}']['get']['responses'][200]['content']['application/json'];
export type RolePolicy = RoleDetail['policy'];

export const roleKey = (id: string) => ['admin', 'role', id] as const;

export const getRole = (id: string) => unwrap(api.GET('/api/v1/roles/{id}', { params: { path: { id } } }));

export const createRole = (body: { id: string; name: string; description?: string; policy: RolePolicy }) =>
  unwrap(api.POST('/api/v1/roles', { body }));

/** A change is made against the version that was read (If-Match); a stale one answers 412. */
export const updateRole = (
  id: string,
  version: number,
  body: { name?: string; description?: string; policy?: RolePolicy },
) =>
  withStepUp(() =>
    unwrap(
      api.PATCH('/api/v1/roles/{id}', {
        params: { path: { id } },
        headers: { 'if-match': `"${version}"` },
        body,
      }),
    ),
  );

export const deleteRole = (id: string) =>
  withStepUp(() => unwrap(api.DELETE('/api/v1/roles/{id}', { params: { path: { id } } })));
