// The five roles of the policy's workflow, and which of them work across the whole association: all the
// sign-in screen needs of the rulebook (permissions.ts, which re-exports them).

/** The five roles; order is not meaningful. */
export const roles = ['representative', 'researcher', 'committee', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Roles that work across the whole association and therefore have no branch. */
export const associationWideRoles: readonly Role[] = ['supervisor', 'admin'];
