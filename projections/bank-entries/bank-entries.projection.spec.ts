import type { ArEvent } from '../../libs/domain/events';
import { project } from '../testing';
import { bankEntriesProjection } from './bank-entries.projection';

/** Given a bank entry's events, then its document and the learned IBAN's (v2, ADR 0090). */
describe('bank-entries projection', () => {
  const recorded = (entryId: string): ArEvent => ({ type: 'BankEntryRecorded', data: {
    entryId, statementId: 's1', account: 'FR7630006000011234567890189', bookingDate: '2026-03-10', valueDate: null, direction: 'credit', amount: 120000, currency: 'EUR',
    bankRef: `BQ-${entryId}`, endToEndId: null, debtorName: 'pii:1:bankentry~e1:sealedname', debtorIban: 'pii:1:bankentry~e1:sealediban', remittance: '', structuredRef: null,
    transactionCode: null, isReturn: false,
  } } as unknown as ArEvent);
  const matched = (entryId: string, customerId: string, debtorIbanKey: string | null | undefined): ArEvent => ({ type: 'BankEntryMatched', data: {
    entryId, customerId, paymentId: `bank-${entryId}`, allocations: [{ invoiceId: 'i1', amount: 120000 }], unapplied: 0, rule: 'manual', confidence: 100, evidence: [],
    how: 'manual', by: 'clerk', debtorIban: 'pii:1:bankentry~e1:sealediban', bookingDate: '2026-03-10', currency: 'EUR', amount: 120000,
    ...(debtorIbanKey === undefined ? {} : { debtorIbanKey }),
  } } as unknown as ArEvent);
  const erased = (entryId: string, customerId: string, debtorIbanKey: string | null): ArEvent => ({ type: 'BankEntryPayerErased', data: { entryId, customerId, debtorIbanKey } } as unknown as ArEvent);

  it('given a match with a keyed IBAN, then the IBAN is learned under its key (no IBAN in the document) and the entry is bound to the customer', () => {
    const docs = project(bankEntriesProjection, [recorded('e1'), matched('e1', 'hv', 'h1:abc')]);
    expect(docs.get('iban:h1:abc')).toEqual({ kind: 'iban', ibanKey: 'h1:abc', customerId: 'hv', learnedOn: '2026-03-10', entryId: 'e1' });
    expect(docs.get('entry:e1')).toMatchObject({ status: 'matched', customerId: 'hv', payerErased: false, debtorIban: 'pii:1:bankentry~e1:sealediban' });
  });

  it('given a v1 match (no keyed hash), then nothing is learned', () => {
    const docs = project(bankEntriesProjection, [recorded('e1'), matched('e1', 'hv', undefined)]);
    expect([...docs.keys()]).toEqual(['entry:e1']);
  });

  it('when the customer is erased, then its learned IBAN is deleted and the entry marked; one learned since for another customer stays', () => {
    const docs = project(bankEntriesProjection, [recorded('e1'), matched('e1', 'hv', 'h1:abc'), erased('e1', 'hv', 'h1:abc')]);
    expect(docs.has('iban:h1:abc')).toBe(false);
    expect(docs.get('entry:e1')).toMatchObject({ status: 'matched', customerId: 'hv', payerErased: true, amount: 120000 });
    const relearned = project(bankEntriesProjection, [recorded('e1'), matched('e1', 'hv', 'h1:abc'), recorded('e2'), matched('e2', 'other', 'h1:abc'), erased('e1', 'hv', 'h1:abc')]);
    expect(relearned.get('iban:h1:abc')).toMatchObject({ customerId: 'other', entryId: 'e2' });
  });
});
