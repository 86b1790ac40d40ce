import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { BankEntry } from '../../domain/cash/bank-entry';
import { isCalendarDate } from '../../domain/shared/dates';
import { isCurrency, parseAmount } from '../../domain/shared/money';
import { entryIdOf, malformed, statementIdOf, type ParsedStatement } from './statement';

/** Elements that repeat in a statement: always parsed as arrays, whatever their count in one file. */
const ARRAYS = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd', 'Bal']);

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
  trimValues: true, isArray: (name) => ARRAYS.has(name),
});

type X = Record<string, any>;
const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'object' ? ((v as X)['#text'] ?? null) : String(v));

/**
 * ISO 20022 bank-to-customer statement (camt.053), versions .001.02 and .001.08 (and the versions between, whose
 * entry elements are the same): one BankEntry per booked entry, or per transaction of a batched entry. Pending
 * (`PDNG`) and informational entries are skipped; their count is reported by the import.
 */
export function parseCamt053(xml: string): ParsedStatement & { skipped: number } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw malformed(`The file is not well-formed XML: ${valid.err.msg}`, { line: valid.err.line });
  const doc = parser.parse(xml) as X;
  const root = doc.Document;
  if (!root || typeof root !== 'object') throw malformed('No Document element: not an ISO 20022 message', { element: 'Document' });
  const ns = String(xml.match(/urn:iso:std:iso:20022:tech:xsd:(camt\.053\.001\.\d\d)/)?.[1] ?? 'camt.053');
  const stmts: X[] | undefined = root.BkToCstmrStmt?.Stmt;
  if (!Array.isArray(stmts) || stmts.length === 0) throw malformed('No BkToCstmrStmt/Stmt element: not a camt.053 statement', { element: 'Document/BkToCstmrStmt/Stmt' });
  const entries: BankEntry[] = [];
  let skipped = 0;
  let account = '';
  const sourceIds: string[] = [];
  let from: string | null = null;
  let to: string | null = null;
  stmts.forEach((st, s) => {
    const at = `Stmt[${s}]`;
    const acct = text(st.Acct?.Id?.IBAN) ?? text(st.Acct?.Id?.Othr?.Id);
    if (!acct) throw malformed('The statement names no account (Acct/Id/IBAN or Othr/Id)', { element: `${at}/Acct/Id` });
    if (account !== '' && acct !== account) throw malformed('All statements of one file must be for the same account', { element: `${at}/Acct/Id` });
    account = acct.replace(/\s+/g, '');
    const id = text(st.Id);
    if (!id) throw malformed('The statement has no Id', { element: `${at}/Id` });
    sourceIds.push(id);
    const f = dateOf(st.FrToDt?.FrDtTm) ?? null;
    const t = dateOf(st.FrToDt?.ToDtTm) ?? null;
    if (f && (from === null || f < from)) from = f;
    if (t && (to === null || t > to)) to = t;
    const list: X[] = st.Ntry ?? [];
    list.forEach((n, k) => {
      const where = `${at}/Ntry[${k}]`;
      const status = text(n.Sts?.Cd) ?? text(n.Sts);
      if (status === null) throw malformed('The entry has no status (Sts)', { element: `${where}/Sts` });
      if (status !== 'BOOK') { skipped += 1; return; }
      const ccy = n.Amt?.['@Ccy'];
      const amountText = text(n.Amt);
      if (typeof ccy !== 'string' || !isCurrency(ccy)) throw malformed('The entry amount has no valid Ccy attribute', { element: `${where}/Amt/@Ccy` });
      if (amountText === null) throw malformed('The entry has no amount', { element: `${where}/Amt` });
      const direction = text(n.CdtDbtInd);
      if (direction !== 'CRDT' && direction !== 'DBIT') throw malformed(`CdtDbtInd must be CRDT or DBIT, got ${direction}`, { element: `${where}/CdtDbtInd` });
      const booking = dateOf(n.BookgDt);
      if (booking === null) throw malformed('The entry has no booking date (BookgDt/Dt or DtTm)', { element: `${where}/BookgDt` });
      const ref = text(n.AcctSvcrRef) ?? text(n.NtryRef);
      if (ref === null) throw malformed('The entry has neither AcctSvcrRef nor NtryRef: it cannot be recognised on a second import', { element: `${where}/AcctSvcrRef` });
      const reversal = text(n.RvslInd) === 'true';
      const code = bankCode(n.BkTxCd);
      const txs: X[] = (n.NtryDtls ?? []).flatMap((d: X) => d.TxDtls ?? []);
      const total = amountOf(amountText, ccy, `${where}/Amt`);
      // One transaction (or none): the entry itself; several with their own amounts: one BankEntry each.
      const parts = txs.length > 1 && txs.every((tx) => text(tx.Amt ?? tx.AmtDtls?.TxAmt?.Amt) !== null) ? txs : [txs[0] ?? {}];
      let sum = 0;
      parts.forEach((tx, j) => {
        const txWhere = parts.length > 1 ? `${where}/NtryDtls/TxDtls[${j}]` : where;
        const amount = parts.length > 1 ? amountOf(text(tx.Amt ?? tx.AmtDtls?.TxAmt?.Amt)!, ccy, `${txWhere}/Amt`) : total;
        sum += amount;
        const party = direction === 'CRDT' ? tx.RltdPties?.Dbtr : tx.RltdPties?.Cdtr;
        const partyAcct = direction === 'CRDT' ? tx.RltdPties?.DbtrAcct : tx.RltdPties?.CdtrAcct;
        const bankRef = parts.length > 1 ? (text(tx.Refs?.AcctSvcrRef) ?? `${ref}/${j + 1}`) : ref;
        const ustrd: string[] = (tx.RmtInf?.Ustrd ?? []).map((u: unknown) => text(u) ?? '');
        const strd = (tx.RmtInf?.Strd ?? []).map((x: X) => text(x.CdtrRefInf?.Ref)).find((r: string | null) => r !== null) ?? null;
        entries.push({
          entryId: entryIdOf(account, bankRef), statementId: '', account, bookingDate: booking, valueDate: dateOf(n.ValDt),
          direction: direction === 'CRDT' ? 'credit' : 'debit', amount, currency: ccy, bankRef,
          endToEndId: nonEmpty(text(tx.Refs?.EndToEndId)),
          // .001.02: Dbtr/Nm; .001.08: Dbtr/Pty/Nm.
          debtorName: nonEmpty(text(party?.Nm) ?? text(party?.Pty?.Nm)),
          debtorIban: nonEmpty(text(partyAcct?.Id?.IBAN))?.replace(/\s+/g, '') ?? null,
          remittance: [...ustrd, text(n.AddtlNtryInf) ?? ''].filter((u) => u !== '').join(' '),
          structuredRef: strd, transactionCode: code, isReturn: reversal || tx.RtrInf !== undefined || /RRTN|RTRN|DDRT|RR$/.test(code ?? ''),
        });
      });
      if (sum !== total) throw malformed(`The transactions add up to ${sum} minor units, the entry says ${total}`, { element: `${where}/NtryDtls` });
    });
  });
  const sourceId = sourceIds.join('+');
  const statementId = statementIdOf(account, sourceId);
  for (const e of entries) e.statementId = statementId;
  const format = ns === 'camt.053.001.02' || ns === 'camt.053.001.08' ? ns : 'camt.053';
  return { statementId, format, sourceId, account, fromDate: from, toDate: to, entries, skipped };
}

function amountOf(raw: string, ccy: string, element: string): number {
  try {
    const n = parseAmount(raw, ccy, element);
    if (n <= 0) throw malformed('Amounts are positive; CdtDbtInd gives the direction', { element });
    return n;
  } catch (err) {
    if (err instanceof Error && (err as { code?: string }).code === 'STATEMENT_MALFORMED') throw err;
    throw malformed(`Amount "${raw}" is not a decimal with ${ccy}'s decimals`, { element });
  }
}

function dateOf(v: X | undefined): string | null {
  if (v === undefined || v === null) return null;
  const raw = typeof v === 'string' ? v : text(v.Dt) ?? text(v.DtTm);
  if (raw === null) return null;
  const d = raw.slice(0, 10);
  return isCalendarDate(d) ? d : null;
}

function bankCode(v: X | undefined): string | null {
  if (!v) return null;
  const d = v.Domn;
  if (d) return [text(d.Cd), text(d.Fmly?.Cd), text(d.Fmly?.SubFmlyCd)].filter(Boolean).join('/');
  return text(v.Prtry?.Cd);
}

const nonEmpty = (s: string | null) => (s === null || s.trim() === '' ? null : s.trim());
