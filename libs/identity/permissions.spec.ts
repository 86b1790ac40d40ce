import { PERMISSIONS, permissionsOf, ROLE_PERMISSIONS, ROLES } from './permissions';

const WRITES = PERMISSIONS.filter((p) => /:(write|approve|manage)$/.test(p));

describe('roles and permissions (issue 11, docs/security.md)', () => {
  it('gives admin every permission but act_on_behalf, which no role has', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual(PERMISSIONS.filter((p) => p !== 'act_on_behalf').sort());
    for (const role of ROLES) expect(ROLE_PERMISSIONS[role]).not.toContain('act_on_behalf');
    expect(permissionsOf(['clerk'], true).has('act_on_behalf')).toBe(true);
  });

  it('lets auditors and analysts write nothing; only admin manages keys', () => {
    for (const role of ['auditor', 'analyst'] as const) expect(ROLE_PERMISSIONS[role].filter((p) => WRITES.includes(p))).toEqual([]);
    expect(ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('keys:manage'))).toEqual(['admin']);
  });

  it('splits the duties as the issue defines them', () => {
    expect(ROLE_PERMISSIONS.clerk.filter((p) => WRITES.includes(p))).toEqual(['customers:write', 'invoices:write', 'payments:write', 'credit-notes:write']);
    expect(ROLE_PERMISSIONS.credit_manager.filter((p) => WRITES.includes(p))).toEqual(['credit:write', 'invoices:approve', 'write-offs:approve']);
    expect(ROLE_PERMISSIONS.collector.filter((p) => WRITES.includes(p))).toEqual(['collections:write']);
    expect(ROLE_PERMISSIONS.auditor).toEqual(expect.arrayContaining(['audit:read', 'exports:read', 'reports:read', 'ledger:read', 'projections:read']));
    // Whoever issues invoices does not approve them, by role too (four eyes by identity is on top of this).
    expect(ROLES.filter((r) => r !== 'admin' && ROLE_PERMISSIONS[r].includes('invoices:write') && ROLE_PERMISSIONS[r].includes('invoices:approve'))).toEqual([]);
  });

  it('gives a token with several roles their union', () => {
    const p = permissionsOf(['clerk', 'collector']);
    expect(p.has('invoices:write') && p.has('collections:write')).toBe(true);
    expect(p.has('credit:write')).toBe(false);
  });
});
