import { emptyAccount } from '../../domain/reporting/account-state';
import type { HistoryEvent } from './history-replay';
import type { HistorySummary } from './history-stream';
import { historyJson, historyView } from './views';

const event = (i: number): HistoryEvent => ({
  position: 10 + i, streamId: `invoice-i${i % 3}`, revision: Math.floor(i / 3), id: `e${i}`, type: 'InvoiceIssued', effectiveDate: '2026-01-02',
  data: { invoiceId: `i${i}`, total: 100 * i, note: 'a "quoted"\nline', lines: [{ q: 1 }, {}], empty: {} },
  metadata: { actor: 'anna', recordedAt: '2026-01-02T10:00:00.000Z', commandId: 'c', correlationId: 'c', causationId: 'c', schemaVersion: 1, prevHash: '0'.repeat(64), hash: 'f'.repeat(64) },
});

const summary = (events: number): HistorySummary => ({
  customerId: 'acme', asOf: events % 2 ? '2026-03-31' : null, state: { ...emptyAccount('acme'), name: 'ACME', currency: 'EUR' },
  verification: events === 0 ? null : { verified: false, events, streams: 3, firstBreak: { streamId: 'invoice-i1', revision: 0, reason: 'truncated', position: null } },
  events, streamIds: [], read: events, lastPosition: null,
});

async function* pagesOf(events: HistoryEvent[], size: number): AsyncGenerator<HistoryEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

describe('historyJson', () => {
  it.each([[0, 1], [1, 1], [2, 1], [7, 3], [7, 7]])('writes JSON.stringify(historyView) byte for byte, compact and indented (%i events, pages of %i)', async (n, size) => {
    const events = Array.from({ length: n }, (_, i) => event(i));
    const h = summary(n);
    for (const indent of [0, 2]) {
      let text = '';
      for await (const chunk of historyJson(h, pagesOf(events, size), indent)) text += chunk;
      expect(text).toBe(JSON.stringify(historyView({ ...h, events }), null, indent));
    }
  });
});
