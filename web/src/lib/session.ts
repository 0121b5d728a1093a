import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken, unwrap } from './api/client';
import { isApiError } from './api/problem';
import type { Me } from './api/types';

export const ME_KEY = ['me'] as const;

/** The signed-in user, or null when there is no session. Keeps the CSRF token (memory only) current. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await unwrap(api.GET('/api/v1/me'));
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (isApiError(e) && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** The signed-in user inside the authenticated part of the app (the route guard guarantees one). */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside a signed-in route');
  return data;
}

export const hasRole = (me: Me, ...roles: string[]): boolean => roles.some((r) => me.roles.includes(r));

/**
 * Who may read the audit log (CONTRACT: security officers and auditors). Used to avoid asking the API for
 * what it would refuse; the API still decides.
 */
export const canReadAudit = (me: Me): boolean => hasRole(me, 'security-officer', 'auditor');
