import type { ArEvent } from '../../libs/domain/events';
import { project, registered } from '../testing';
import { customerProfilesProjection } from './customer-profiles.projection';

const changed = (customerId: string, changes: Record<string, unknown>): ArEvent => ({ type: 'CustomerDetailsChanged', data: { customerId, changes, reason: 'r' } });

describe('customer-profiles projection', () => {
  it('given a registration and two changes, then one document with the last value of each field; the name as stored (sealed or clear)', () => {
    const sealedName = 'pii:1:c1:AAAA';
    const docs = project(customerProfilesProjection, [
      registered('c1', { country: 'DE' }),
      changed('c1', { billingEmails: 'pii:1:c1:BBBB', siren: '732829320', language: 'en' }),
      changed('c1', { name: sealedName, siren: null }),
    ]);
    expect(docs.get('c1')).toMatchObject({
      customerId: 'c1', name: sealedName, currency: 'EUR', country: 'DE', erased: null,
      details: { billingEmails: 'pii:1:c1:BBBB', siren: null, language: 'en', phone: null, address: null, accountManager: null },
      lastPosition: 2,
    });
  });

  it('given an erasure, then the document says so (with its date) and keeps its company facts', () => {
    const docs = project(customerProfilesProjection, [
      registered('c1'), changed('c1', { siren: '732829320' }),
      { type: 'CustomerErased', data: { customerId: 'c1', reason: 'GDPR', erasedOn: '2026-12-02', retention: { years: 10, lastEntryOn: null, until: null } } },
    ]);
    expect(docs.get('c1')).toMatchObject({ erased: { erasedOn: '2026-12-02', reason: 'GDPR' }, details: { siren: '732829320' } });
  });

  it('given the same events again (a batch re-applied after a crash), then nothing changes', () => {
    const once = project(customerProfilesProjection, [registered('c1'), changed('c1', { siren: '732829320' })]);
    // The registration (position 0) again, after the change (position 1): the details are not reset.
    expect(project(customerProfilesProjection, [registered('c1')], once)).toEqual(once);
  });

  it('ignores details of a customer it never saw registered, and other events', () => {
    expect(project(customerProfilesProjection, [changed('ghost', { siren: '732829320' })]).size).toBe(0);
    expect(customerProfilesProjection.keysOf({ type: 'CreditLimitChanged', data: { customerId: 'c1' } } as never)).toEqual([]);
  });
});
