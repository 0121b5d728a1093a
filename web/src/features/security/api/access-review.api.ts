import type { paths } from '../../../lib/api/schema';
import { api, unwrap } from '../../../lib/api/client';
import { withStepUp } from '../../../lib/step-up';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Review = Json<paths['/api/v1/access-reviews/{id}']['get']['responses'][200]>;
export type ReviewSummary = Json<paths['/api/v1/access-reviews']['get']['responses'][200]>['items'][number];
export type ReviewItem = Review['items'][number];
export type Dormant = Json<paths['/api/v1/access-reviews/dormant']['get']['responses'][200]>;
export type DisableResult = Json<paths['/api/v1/access-reviews/dormant/disable']['post']['responses'][200]>;

export const REVIEWS_KEY = ['access-reviews'] as const;
export const reviewKey = (id: string) => ['access-reviews', id] as const;
export const DORMANT_KEY = ['access-reviews', 'dormant'] as const;

export const listReviews = async () =>
  (await unwrap(api.GET('/api/v1/access-reviews', { params: { query: { limit: 100 } } }))).items;

export const getReview = (id: string) => unwrap(api.GET('/api/v1/access-reviews/{id}', { params: { path: { id } } }));

export const startReview = (body: { name?: string; dueInDays?: number; escalateAfterDays?: number }) =>
  unwrap(api.POST('/api/v1/access-reviews', { body }));

export const decide = (id: string, itemId: string, decision: 'certify' | 'revoke', comment?: string) =>
  withStepUp(() =>
    unwrap(
      api.POST('/api/v1/access-reviews/{id}/items/{itemId}/decision', {
        params: { path: { id, itemId } },
        body: { decision, ...(comment ? { comment } : {}) },
      }),
    ),
  );

export const remind = (id: string) =>
  unwrap(api.POST('/api/v1/access-reviews/{id}/remind', { params: { path: { id } } }));

export const closeReview = (id: string, force?: { reason: string }) =>
  unwrap(
    api.POST('/api/v1/access-reviews/{id}/close', {
      params: { path: { id } },
      body: force ? { force: true, reason: force.reason } : {},
    }),
  );

export const dormantReport = () => unwrap(api.GET('/api/v1/access-reviews/dormant'));

export const disableDormant = () => withStepUp(() => unwrap(api.POST('/api/v1/access-reviews/dormant/disable')));
