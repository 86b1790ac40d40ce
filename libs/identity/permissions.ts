/**
 * Roles and permissions: the one table docs/security.md documents (keep them in step). A route declares one
 * permission (`@Requires(...)` in apps/api/src/auth); the global guard grants it when the principal's role has it.
 */
export const PERMISSIONS = [
  'ledger:read', // balances, invoices, a customer's credit, statements, late charges (quote), pending approvals
  'reports:read', // aging, DSO, ECL, credit exposure, dunning and customer-credit reports
  'audit:read', // a customer's full history (every fact with who/when/why) and its verification
  'exports:read', // the journal / FEC export
  'projections:read', // projection status
  'customers:write', // register customers, change their master data
  'customers:erase', // erase a customer's personal data (crypto-shredding, ADR 0082): an administrator's act
  'invoices:write', // issue invoices
  'payments:write', // record, reallocate, reverse, refund payments; apply customer credit
  'credit-notes:write', // issue credit notes
  'credit:write', // assessments, limits, terms, credit policy, holds, the credit-hold policy run
  'invoices:approve', // approve or reject invoices held for approval
  'write-offs:approve', // write off an invoice (and approve a requested write-off)
  'collections:write', // dunning runs, disputes, payment plans, late charges
  'keys:manage', // create, list and revoke API keys
  'books:close', // close the books through a date, and reopen them (ADR 0048): an administrator's act
  'act_on_behalf', // X-Actor is honoured: a service account acting for a named user (a grant per key, never a role's)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'clerk', 'credit_manager', 'collector', 'auditor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

const READ_ALL: Permission[] = ['ledger:read', 'reports:read', 'audit:read', 'exports:read', 'projections:read'];

/** What each role may do. `admin` has everything but `act_on_behalf`, which is granted to a key explicitly. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS.filter((p) => p !== 'act_on_behalf'),
  clerk: ['ledger:read', 'customers:write', 'invoices:write', 'payments:write', 'credit-notes:write'],
  credit_manager: ['ledger:read', 'reports:read', 'credit:write', 'invoices:approve', 'write-offs:approve'],
  collector: ['ledger:read', 'reports:read', 'collections:write'],
  auditor: READ_ALL,
  analyst: ['ledger:read', 'reports:read', 'exports:read', 'projections:read'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The permissions of a set of roles (a token may carry several), plus `act_on_behalf` when granted. */
export function permissionsOf(roles: readonly Role[], actOnBehalf = false): ReadonlySet<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) out.add(p);
  if (actOnBehalf) out.add('act_on_behalf');
  return out;
}
