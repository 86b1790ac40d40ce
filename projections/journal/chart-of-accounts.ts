import { invalid } from '../../libs/domain/shared/errors';
import { ACCOUNT_ROLES, JOURNAL_CODES, type AccountRole, type JournalCode } from './journal-rules';

export interface Account {
  number: string;
  label: string;
}

/**
 * Where each role is booked. `auxiliary`: the customers account carries the customer id as auxiliary account
 * (FEC CompAuxNum/CompAuxLib), as French ledgers do with 411 sub-accounts.
 */
export interface ChartOfAccounts {
  accounts: Record<AccountRole, Account>;
  journals: Record<JournalCode, string>;
}

/** Plan comptable général (France): the default mapping. */
export const FRENCH_CHART: ChartOfAccounts = {
  accounts: {
    customers: { number: '411', label: 'Clients' },
    revenue: { number: '706', label: 'Prestations de services' },
    vatCollected: { number: '44571', label: 'TVA collectée' },
    bank: { number: '512', label: 'Banque' },
    discountsAllowed: { number: '665', label: 'Escomptes accordés' },
    badDebts: { number: '654', label: 'Pertes sur créances irrécouvrables' },
    interestIncome: { number: '763', label: 'Revenus des autres créances' },
    badDebtRecoveries: { number: '7714', label: 'Rentrées sur créances amorties' },
    vatToCollect: { number: '44574', label: 'TVA à collecter (sur encaissements)' },
    recoveryCompensation: { number: '7588', label: 'Indemnités forfaitaires pour frais de recouvrement' },
    // Realised exchange differences on receivables settled (PCG art. 420-5; ADR 0052).
    exchangeLoss: { number: '666', label: 'Pertes de change financières' },
    exchangeGain: { number: '766', label: 'Gains de change financiers' },
    // Receipts on the bank statement not yet matched to a customer (PCG 471, compte d'attente; ADR 0087).
    suspense: { number: '471', label: "Compte d'attente" },
    // Bank fees deducted from a customer's transfer, accepted within the tolerance (PCG 627; ADR 0088).
    bankCharges: { number: '627', label: 'Services bancaires et assimilés' },
  },
  journals: { VT: 'Ventes', BQ: 'Banque', OD: 'Opérations diverses' },
};

/**
 * Merges a JSON mapping over the French chart: `{"accounts": {"revenue": {"number": "706100", "label": "…"}},
 * "journals": {"VT": "Sales"}}`; roles or journals left out keep the default. Unknown roles are refused.
 */
export function chartFromJson(json: unknown, source = 'mapping'): ChartOfAccounts {
  const fail = (message: string) => { throw invalid('ACCOUNT_MAPPING_INVALID', `${source}: ${message}`, 'accounts'); };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('must be a JSON object with "accounts" and/or "journals"');
  const o = json as { accounts?: unknown; journals?: unknown };
  const chart: ChartOfAccounts = { accounts: { ...FRENCH_CHART.accounts }, journals: { ...FRENCH_CHART.journals } };
  if (o.accounts !== undefined) {
    if (o.accounts === null || typeof o.accounts !== 'object') fail('"accounts" must be an object');
    for (const [role, acc] of Object.entries(o.accounts as Record<string, unknown>)) {
      if (!(ACCOUNT_ROLES as readonly string[]).includes(role)) fail(`unknown role "${role}" (roles: ${ACCOUNT_ROLES.join(', ')})`);
      const a = acc as Partial<Account> | null;
      if (!a || typeof a.number !== 'string' || !/^[0-9A-Za-z]{1,20}$/.test(a.number)) fail(`accounts.${role}.number must be 1–20 letters or digits`);
      chart.accounts[role as AccountRole] = { number: a!.number as string, label: typeof a!.label === 'string' ? a!.label : chart.accounts[role as AccountRole].label };
    }
  }
  if (o.journals !== undefined) {
    if (o.journals === null || typeof o.journals !== 'object') fail('"journals" must be an object');
    for (const [code, label] of Object.entries(o.journals as Record<string, unknown>)) {
      if (!(JOURNAL_CODES as readonly string[]).includes(code)) fail(`unknown journal "${code}" (journals: ${JOURNAL_CODES.join(', ')})`);
      if (typeof label !== 'string') fail(`journals.${code} must be a string`);
      chart.journals[code as JournalCode] = label as string;
    }
  }
  return chart;
}
