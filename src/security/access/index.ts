export * from './actor.js';
export * from './access.service.js';
export * from './policy.js';
export { EffectiveAccess, type ModeField, type Relation } from './effective-access.js';
export { maskValue, MASK_RULES } from './masking.js';
export { createAccess, type Access } from './access.module.js';
export { ipAllowed } from './policy-resolver.js';
export { readPolicyInput } from './policy-schema.js';
export type { RoleView } from './role.service.js';
