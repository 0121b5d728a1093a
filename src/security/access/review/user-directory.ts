import { AppError } from '../../../platform/app-error.js';
import { systemActor, type Actor } from '../actor.js';

/**
 * What access reviews need of identity's user service (`rt.identity.users` fits): reading a user and changing
 * their roles or status through the one code path that ends their sessions, revokes tokens on disable and refuses
 * to remove the last active administrator. Access never writes the users tables itself.
 */
export interface UserDirectory {
  getUser(actor: Actor, id: string): Promise<{ id: string; roles: readonly string[]; status: string; version: number }>;
  updateUser(
    actor: Actor,
    id: string,
    patch: { roles?: readonly string[]; status?: 'active' | 'disabled' },
    expectedVersion: number,
  ): Promise<{ id: string; roles: readonly string[]; status: string; version: number }>;
  findByEmail(email: string): Promise<{ id: string } | undefined>;
}

/** Before identity is connected (a runtime built without it) every call fails loudly instead of doing nothing. */
export const unconnectedDirectory = (): UserDirectory => {
  const fail = (): never => {
    throw new AppError('SEPAR_ERR_UNAVAILABLE', 'User directory unavailable', {
      detail: 'Access reviews are not connected to the user directory in this process.',
    });
  };
  return { getUser: async () => fail(), updateUser: async () => fail(), findByEmail: async () => fail() };
};

/**
 * The actor access reviews use towards identity: the system, carrying the real caller's request context and a
 * reason naming them, so identity's own events say who asked. The caller's capability was checked before.
 */
export function delegatedActor(caller: Actor, reason: string): Actor {
  return { ...systemActor(reason), ip: caller.ip, requestId: caller.requestId };
}
