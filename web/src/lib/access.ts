import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client';

/**
 * The signed-in person's effective capabilities (GET /me/access: roles allowed from this network, narrowed by a
 * token's scopes). The navigation shows only what the API would allow; the API still decides every request.
 */
export type Capability =
  | 'manage-users'
  | 'manage-roles'
  | 'manage-fields'
  | 'manage-pipelines'
  | 'manage-settings'
  | 'manage-security'
  | 'manage-keys'
  | 'read-audit'
  | 'manage-audit'
  | 'manage-incidents'
  | 'review-access'
  | 'team-reports';

export type RecordOp = 'read' | 'create' | 'update' | 'delete' | 'export';

export const MY_ACCESS_KEY = ['me', 'access'] as const;

export function useMyAccess() {
  const q = useQuery({
    queryKey: MY_ACCESS_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/me/access')),
    staleTime: 60_000,
  });
  const caps = new Set(q.data?.capabilities ?? []);
  return {
    ready: q.isSuccess,
    can: (c: Capability) => caps.has(c),
    /** May read some records of this object (the scope decides which). */
    canRead: (object: string) => q.data?.objects[object]?.ops.includes('read') ?? false,
    /**
     * May create/update/delete/export records of this object (the scope still decides which). False until the
     * answer is in, so an action the role lacks never flashes on screen.
     */
    allows: (object: string, op: RecordOp) => q.data?.objects[object]?.ops.includes(op) ?? false,
  };
}
