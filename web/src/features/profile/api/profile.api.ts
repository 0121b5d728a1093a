import { api, unwrap } from '../../../lib/api/client';

export const changePassword = (currentPassword: string, newPassword: string) =>
  unwrap(api.POST('/api/v1/me/password', { body: { currentPassword, newPassword } }));

export const listSessions = async () => (await unwrap(api.GET('/api/v1/me/sessions'))).items;

export const endSession = (id: string) => unwrap(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));

/** "Sign out everywhere else" (all=false) or everywhere including here (all=true). */
export const endAllSessions = (all: boolean) =>
  unwrap(api.DELETE('/api/v1/me/sessions', { params: { query: { all } } }));
