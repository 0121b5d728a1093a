import type { paths } from '../../../lib/api/schema';
import { api, unwrap } from '../../../lib/api/client';

export type KeyStatus = paths['/api/v1/keys/status']['get']['responses'][200]['content']['application/json'];

export const KEY_STATUS_KEY = ['keys', 'status'] as const;
export const keyStatus = () => unwrap(api.GET('/api/v1/keys/status'));
