import type { paths } from '../../../lib/api/schema';
import { api, unwrap } from '../../../lib/api/client';
import { withStepUp } from '../../../lib/step-up';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ApiToken = Json<paths['/api/v1/me/tokens']['get']['responses'][200]>['items'][number];

export const TOKENS_KEY = ['me', 'tokens'] as const;

export const listTokens = async () => (await unwrap(api.GET('/api/v1/me/tokens'))).items;

/** A token outlives the session and skips MFA: minting one asks the person to confirm it is them (step-up). */
export const createToken = (name: string) =>
  withStepUp(() => unwrap(api.POST('/api/v1/me/tokens', { body: { name } })));

export const revokeToken = (id: string) => unwrap(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } }));
