import type { Projection } from '../../libs/projection-runtime/projection';
import { letteringLink } from './lettering-documents';

/** Invoice ↔ payment / credit note applied to it (PaymentApplied, CreditNoteApplied): one document per pair. */
export interface LetteringLink {
  customerId: string;
  invoice: string;
  settledBy: string;
  [key: string]: unknown;
}

export const letteringLinksProjection: Projection<LetteringLink> = {
  name: 'lettering-links',
  version: 1,
  indexes: ['customerId'],
  keysOf(event) {
    const link = letteringLink(event.type, event.data);
    return link === null ? [] : [`${link[0]}|${link[1]}`];
  },
  evolve(doc, event) {
    if (doc !== null) return doc;
    const link = letteringLink(event.type, event.data);
    return link === null ? null : { customerId: event.data.customerId, invoice: link[0], settledBy: link[1] };
  },
};
