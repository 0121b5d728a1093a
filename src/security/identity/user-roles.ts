/**
 * A credential's row read together with its user's roles: the query left-joins `user_roles` (ordered by role id),
 * so it answers one row per role — or one row with a null `role_id` for a user without roles. This folds them
 * back into the credential's row with `roles`. One query instead of two on every authenticated request; the roles
 * are still read from the database each time, so a role change applies at once.
 */
export function foldRoles<T extends { role_id: string | null }>(
  rows: readonly T[],
): (Omit<T, 'role_id'> & { roles: string[] }) | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const roles: string[] = [];
  for (const r of rows) if (r.role_id !== null) roles.push(r.role_id);
  const { role_id: _ignored, ...row } = first;
  return { ...row, roles };
}
