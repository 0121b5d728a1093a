import type { paths } from '../../../lib/api/schema';
import { api, unwrap } from '../../../lib/api/client';

export type Team = paths['/api/v1/teams']['get']['responses'][200]['content']['application/json']['items'][number];
export type TeamMember = Team['members'][number];

export const TEAMS_KEY = ['admin', 'teams'] as const;

export const listTeams = async () => (await unwrap(api.GET('/api/v1/teams'))).items;

export const createTeam = (body: { name: string; members: TeamMember[] }) =>
  unwrap(api.POST('/api/v1/teams', { body }));

export const updateTeam = (id: string, version: number, body: { name?: string; members?: TeamMember[] }) =>
  unwrap(api.PATCH('/api/v1/teams/{id}', { params: { path: { id } }, body: { ...body, version } }));

export const deleteTeam = (id: string) => unwrap(api.DELETE('/api/v1/teams/{id}', { params: { path: { id } } }));
