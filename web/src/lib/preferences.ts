import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { paths } from './api/schema';
import { api, unwrap } from './api/client';

/**
 * The signed-in person's preferences, kept on the server (GET/PUT /me/preferences) so they follow them to any
 * browser: the UI language and saved list views. Writes replace the whole document, so each one starts from the
 * latest copy and they go out one after another.
 */
export type Preferences =
  paths['/api/v1/me/preferences']['get']['responses'][200]['content']['application/json']['preferences'];
export type SavedViewPreference = NonNullable<Preferences['savedViews']>[string][number];

export const PREFS_KEY = ['me', 'preferences'] as const;

export const fetchPreferences = async (): Promise<Preferences> =>
  (await unwrap(api.GET('/api/v1/me/preferences'))).preferences;

export function usePreferences(enabled = true) {
  return useQuery({ queryKey: PREFS_KEY, queryFn: fetchPreferences, staleTime: 5 * 60_000, enabled });
}

let chain: Promise<unknown> = Promise.resolve();

/** Apply `change` to the latest preferences and save them; the cache shows the change at once. */
export function updatePreferences(qc: QueryClient, change: (p: Preferences) => Preferences): Promise<Preferences> {
  const run = async (): Promise<Preferences> => {
    const current: Preferences =
      qc.getQueryData<Preferences>(PREFS_KEY) ??
      (await qc.fetchQuery({ queryKey: PREFS_KEY, queryFn: fetchPreferences }));
    const next = change(current);
    qc.setQueryData(PREFS_KEY, next);
    try {
      const saved = (await unwrap(api.PUT('/api/v1/me/preferences', { body: next }))).preferences;
      qc.setQueryData(PREFS_KEY, saved);
      return saved;
    } catch (e) {
      qc.setQueryData(PREFS_KEY, current);
      throw e;
    }
  };
  const result = chain.then(run, run);
  chain = result.catch(() => undefined);
  return result;
}
