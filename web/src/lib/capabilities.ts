import { useQuery } from '@tanstack/react-query';

/**
 * What this server can do, read from its OpenAPI document: screens whose API has not shipped yet
 * (reveal, audit, MFA, …) stay hidden until the path exists, instead of showing fake data.
 */
interface OpenApiDoc {
  paths?: Record<string, Record<string, { parameters?: { name?: string; in?: string }[] }>>;
}

async function fetchDoc(): Promise<OpenApiDoc> {
  const res = await fetch('/api/v1/openapi.json', { credentials: 'same-origin' });
  if (!res.ok) return {};
  return (await res.json()) as OpenApiDoc;
}

export interface Capabilities {
  ready: boolean;
  has: (path: string, method?: string) => boolean;
  queryParams: (path: string, method?: string) => string[];
}

export function useCapabilities(): Capabilities {
  const q = useQuery({ queryKey: ['capabilities'], queryFn: fetchDoc, staleTime: Infinity, gcTime: Infinity });
  const paths = q.data?.paths ?? {};
  return {
    ready: q.isSuccess,
    has: (path, method = 'get') => Boolean(paths[`/api/v1${path}`]?.[method]),
    queryParams: (path, method = 'get') =>
      (paths[`/api/v1${path}`]?.[method]?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name ?? ''),
  };
}

/** Paths of the APIs other issues add; the UI attaches to them when they answer. */
export const FUTURE = {
  reveal: (object: string) => `/${object}/{id}/reveal`,
  audit: '/audit/events',
  auditCheckpoint: '/audit/checkpoints/latest',
  totpEnrol: '/me/mfa/totp',
  loginTotp: '/auth/mfa/totp',
  recoveryCodes: '/me/mfa/recovery-codes',
  roles: '/roles/{id}',
  teams: '/teams',
  accessReviews: '/access-reviews',
  keys: '/keys/status',
} as const;
