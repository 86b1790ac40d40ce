import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import type { Statement } from '../../../projections';
import type { CreditNoteIssued } from '../../domain/credit-note/credit-note.events';
import type { InvoiceIssued } from '../../domain/invoice/invoice.events';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import { upcastCreditNoteIssued, upcastInvoiceIssued } from '../../domain/upcasters';
import { renderCii, warmUpCii } from '../../documents/cii';
import { renderCreditNotePdf } from '../../documents/credit-note-pdf';
import { CUSTOMER_PROFILES, type CompanyIdentity, type CustomerProfile, type CustomerProfiles } from '../../documents/identity';
import { invoiceDocument, type InvoiceDocument } from '../../documents/invoice-document';
import { renderInvoicePdf } from '../../documents/invoice-pdf';
import { renderLetterPdf, type LetterDocument } from '../../documents/letter-pdf';
import { warmUpFonts } from '../../documents/pdf-writer';
import { renderStatementPdf } from '../../documents/statement-pdf';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../event-store/event-store.port';
import { rateTableOf } from '../commands/late-charges.commands';
import type { AppConfig } from '../config';
import type { QueryResult } from '../queries/queries';
import { GetStatementQuery } from '../reporting/reports';
import { APP_CONFIG } from '../tokens';

/** A rendered document: its bytes, its media type, a file name, and the SHA-256 an auditor can compare. */
export interface RenderedDocument {
  bytes: Buffer;
  contentType: 'application/pdf' | 'application/xml';
  filename: string;
  sha256: string;
}

const rendered = (bytes: Buffer, contentType: RenderedDocument['contentType'], filename: string): RenderedDocument => ({
  bytes, contentType, filename, sha256: createHash('sha256').update(bytes).digest('hex'),
});

/** A file name from a document number: letters, digits, `-`, `_`, `.` only. */
const fileName = (number: string, ext: string) => `${number.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`;

/**
 * Documents of issued facts (ADR 0073): an invoice and a credit note are rendered from their issuing event in
 * the log — the immutable fact, with its recordedAt as the creation date — so the same document always has
 * the same bytes, whatever happened to it since (payments, reminders). The buyer comes from the read models
 * (CUSTOMER_PROFILES), the seller from AR_COMPANY_*; statements come from the statement read model.
 */
@Injectable()
export class DocumentService implements OnApplicationBootstrap {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CUSTOMER_PROFILES) private readonly profiles: CustomerProfiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queries: QueryBus,
  ) {}

  /** The XML schema and the fonts are prepared before the first request (hundreds of milliseconds once). */
  onApplicationBootstrap(): void {
    if (this.config.company === null) return;
    warmUpCii();
    warmUpFonts();
  }

  get configured(): boolean {
    return this.config.company !== null;
  }

  private seller(): CompanyIdentity {
    if (this.config.company === null) {
      throw new DomainError('COMPANY_IDENTITY_NOT_CONFIGURED', 'Documents need the seller’s identity: set AR_COMPANY_NAME, AR_COMPANY_SIREN, AR_COMPANY_VAT_NUMBER, AR_COMPANY_ADDRESS, AR_COMPANY_POSTCODE and AR_COMPANY_CITY', {
        variables: ['AR_COMPANY_NAME', 'AR_COMPANY_SIREN', 'AR_COMPANY_VAT_NUMBER', 'AR_COMPANY_ADDRESS', 'AR_COMPANY_POSTCODE', 'AR_COMPANY_CITY'],
      }, 'conflict');
    }
    return this.config.company;
  }

  async buyer(customerId: string): Promise<CustomerProfile> {
    const p = await this.profiles.profile(customerId);
    if (p === null) throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} not found`, { id: customerId }, 'not_found');
    return p;
  }

  private async issued(invoiceId: string): Promise<{ event: StoredEvent; data: ReturnType<typeof upcastInvoiceIssued> }> {
    const events = await this.events.readStream(streams.invoice(invoiceId));
    if (events.length === 0) throw new DomainError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} not found`, { id: invoiceId }, 'not_found');
    const event = events.find((e) => e.type === 'InvoiceIssued');
    if (!event) {
      const status = events.some((e) => e.type === 'InvoiceRejected') ? 'rejected' : 'pending_approval';
      throw new DomainError('INVOICE_NOT_ISSUED', `Invoice ${invoiceId} is ${status.replace('_', ' ')}: it has no number and no document`, { invoiceId, status }, 'conflict');
    }
    return { event, data: upcastInvoiceIssued(event.data as unknown as InvoiceIssued['data']) };
  }

  async invoiceDocument(invoiceId: string): Promise<InvoiceDocument> {
    const seller = this.seller();
    const { event, data } = await this.issued(invoiceId);
    const buyer = await this.buyer(data.customerId);
    return invoiceDocument(data, event.metadata.recordedAt, seller, buyer, rateTableOf(this.config));
  }

  async invoiceCii(invoiceId: string): Promise<RenderedDocument> {
    const doc = await this.invoiceDocument(invoiceId);
    return rendered(Buffer.from(await renderCii(doc), 'utf8'), 'application/xml', fileName(doc.number, 'xml'));
  }

  /** The invoice PDF/A-3 with its CII embedded as factur-x.xml (the same bytes as the cii.xml endpoint). */
  async invoicePdf(invoiceId: string): Promise<RenderedDocument> {
    const doc = await this.invoiceDocument(invoiceId);
    return rendered(await renderInvoicePdf(doc, await renderCii(doc)), 'application/pdf', fileName(doc.number, 'pdf'));
  }

  async creditNotePdf(creditNoteId: string): Promise<RenderedDocument> {
    const seller = this.seller();
    const events = await this.events.readStream(streams.creditNote(creditNoteId));
    const event = events.find((e) => e.type === 'CreditNoteIssued');
    if (!event) throw new DomainError('CREDIT_NOTE_NOT_FOUND', `Credit note ${creditNoteId} not found`, { id: creditNoteId }, 'not_found');
    const d = upcastCreditNoteIssued(event.data as unknown as CreditNoteIssued['data']);
    const invoiceNumber = d.invoiceId === null ? null : (await this.issued(d.invoiceId)).data.number;
    const bytes = await renderCreditNotePdf({
      number: d.number, currency: d.currency, issueDate: d.issueDate, invoiceNumber, reason: d.reason, lines: d.lines, vatBreakdown: d.vatBreakdown,
      charges: d.charges ?? 0, net: d.net, tax: d.tax, total: d.total, appliedToInvoice: d.appliedToInvoice, unapplied: d.unapplied,
      recordedAt: event.metadata.recordedAt, seller, buyer: await this.buyer(d.customerId),
    });
    return rendered(bytes, 'application/pdf', fileName(d.number, 'pdf'));
  }

  /** The statement read model (GET /customers/:id/statement) as a PDF; `fresh`/`position` as that query's. */
  async statementPdf(customerId: string, from: string, to: string): Promise<QueryResult<RenderedDocument>> {
    const seller = this.seller();
    const r = await this.queries.execute<GetStatementQuery, QueryResult<Statement>>(new GetStatementQuery(customerId, from, to));
    const s = r.value;
    const bytes = await renderStatementPdf({ ...s, currency: s.currency ?? 'EUR', seller, buyer: await this.buyer(customerId) });
    return { ...r, value: rendered(bytes, 'application/pdf', fileName(`statement-${customerId}-${s.from}-${s.to}`, 'pdf')) };
  }

  /** A dunning letter's PDF, or null when no seller identity is configured (the reminder then goes without it). */
  async letterPdf(letter: Omit<LetterDocument, 'seller' | 'buyer'> & { customerId: string }): Promise<RenderedDocument | null> {
    if (this.config.company === null) return null;
    const { customerId, ...rest } = letter;
    const bytes = await renderLetterPdf({ ...rest, seller: this.config.company, buyer: await this.buyer(customerId) });
    return rendered(bytes, 'application/pdf', fileName(letter.reference, 'pdf'));
  }
}

export class GetInvoiceDocumentQuery {
  constructor(readonly invoiceId: string, readonly format: 'pdf' | 'cii') {}
}

@QueryHandler(GetInvoiceDocumentQuery)
export class GetInvoiceDocumentHandler implements IQueryHandler<GetInvoiceDocumentQuery, RenderedDocument> {
  constructor(private readonly documents: DocumentService) {}
  execute(q: GetInvoiceDocumentQuery): Promise<RenderedDocument> {
    return q.format === 'pdf' ? this.documents.invoicePdf(q.invoiceId) : this.documents.invoiceCii(q.invoiceId);
  }
}

export class GetCreditNotePdfQuery {
  constructor(readonly creditNoteId: string) {}
}

@QueryHandler(GetCreditNotePdfQuery)
export class GetCreditNotePdfHandler implements IQueryHandler<GetCreditNotePdfQuery, RenderedDocument> {
  constructor(private readonly documents: DocumentService) {}
  execute(q: GetCreditNotePdfQuery): Promise<RenderedDocument> {
    return this.documents.creditNotePdf(q.creditNoteId);
  }
}

export class GetStatementPdfQuery {
  constructor(readonly customerId: string, readonly from: string, readonly to: string) {}
}

@QueryHandler(GetStatementPdfQuery)
export class GetStatementPdfHandler implements IQueryHandler<GetStatementPdfQuery, QueryResult<RenderedDocument>> {
  constructor(private readonly documents: DocumentService) {}
  execute(q: GetStatementPdfQuery): Promise<QueryResult<RenderedDocument>> {
    return this.documents.statementPdf(q.customerId, q.from, q.to);
  }
}

export const DOCUMENT_PROVIDERS = [
  DocumentService, GetInvoiceDocumentHandler, GetCreditNotePdfHandler, GetStatementPdfHandler,
];
