import type { DirectoryUser } from './access-review.repository.js';

export const DAY_MS = 86_400_000;

const later = (a: string | null, b: string | null | undefined): string | null => {
  if (b === null || b === undefined) return a;
  if (a === null) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
};

/** The user's last sign-in or API-token use, whichever is later; null when they never did either. */
export function lastActivity(user: DirectoryUser, lastTokenUse: string | undefined): string | null {
  return later(user.last_login_at, lastTokenUse);
}

/**
 * When the account's idle clock started: the last activity, else its creation; an account enabled again
 * restarts it (the same rule identity applies at sign-in, so both agree on who is dormant).
 */
export function idleSince(user: DirectoryUser, lastTokenUse: string | undefined): string {
  return later(lastActivity(user, lastTokenUse) ?? user.created_at, user.status_changed_at) ?? user.created_at;
}

/** Whole days between `since` and `now`. */
export const daysBetween = (since: string, now: Date): number =>
  Math.floor((now.getTime() - Date.parse(since)) / DAY_MS);
