import { PuljeError } from '../core/errors.ts';
import type { MessageKey } from '../i18n/index.ts';

/**
 * Who may do what, in one place. Young people hold the decision: they propose and vote. Staff (caseworkers,
 * pedagogues) are sparring partners and stewards of the process: they run the round, moderate, judge
 * feasibility and record progress, but neither propose nor vote. Admins can do everything staff can, and also
 * give staff roles and create groups.
 */
export const ROLES = ['youth', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF: readonly Role[] = ['staff', 'admin'];
export const YOUTH: readonly Role[] = ['youth'];
export const ADMIN: readonly Role[] = ['admin'];
export const ANY_MEMBER: readonly Role[] = ROLES;

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
export const isStaffRole = (role: Role | null | undefined): boolean => role === 'staff' || role === 'admin';
export const roleKey = (r: Role): MessageKey => `role.${r}`;

/** The refusal for someone whose role may not do this: names the roles that may, in the reader's language. */
export function forbidden(roles: readonly Role[]): PuljeError {
  return new PuljeError('forbidden', { roles: { anyOf: roles.map(roleKey) } });
}

/**
 * How far a staff member sees on the dashboard (issue 14): caseworkers and pedagogues their own groups; programme
 * staff (`ProgrammeStaff`, per organisation, not a group role) every group of their organisations; admins all.
 */
export const DASHBOARD_SCOPES = ['groups', 'organisations', 'all'] as const;
export type DashboardScope = (typeof DASHBOARD_SCOPES)[number];
/** The programme role: granted per organisation, for people who follow groups without sitting in their chats. */
export const PROGRAMME = 'programme' as const;
