import { ConfigError, loadConfig } from './config';

describe('back-dated series configuration (ADR 0049)', () => {
  it('is off by default: back-dated documents are refused', () => {
    expect(loadConfig({})).toMatchObject({ invoiceBackdatedSeries: null, creditNoteBackdatedSeries: null });
  });
  it('reads a series code, and refuses the primary series or a malformed code', () => {
    expect(loadConfig({ AR_INVOICE_BACKDATED_SERIES: 'INVR', AR_CREDIT_NOTE_BACKDATED_SERIES: 'CNR' })).toMatchObject({ invoiceBackdatedSeries: 'INVR', creditNoteBackdatedSeries: 'CNR' });
    expect(() => loadConfig({ AR_INVOICE_BACKDATED_SERIES: 'INV' })).toThrow(ConfigError);
    expect(() => loadConfig({ AR_CREDIT_NOTE_BACKDATED_SERIES: 'cn-r' })).toThrow(/AR_CREDIT_NOTE_BACKDATED_SERIES must be/);
  });
});
