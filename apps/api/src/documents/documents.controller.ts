import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GetCreditNotePdfQuery, GetInvoiceDocumentQuery, GetStatementPdfQuery, type RenderedDocument,
} from '../../../../libs/application/documents/documents';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { ApiRead } from '../http/api-contract';
import { setFreshness } from '../http/freshness';
import { Requires } from '../auth/requires.decorator';

/**
 * Documents a customer can be sent (ADR 0073–0076). `ETag` and `X-Content-SHA256` carry the SHA-256 of the
 * bytes: the same invoice always answers the same bytes, so an auditor can compare them with a copy.
 */
function send(res: Response, d: RenderedDocument, disposition: 'inline' | 'attachment'): void {
  res.status(200);
  res.setHeader('Content-Type', d.contentType === 'application/xml' ? 'application/xml; charset=utf-8' : 'application/pdf');
  res.setHeader('Content-Disposition', `${disposition}; filename="${d.filename}"`);
  res.setHeader('Content-Length', String(d.bytes.length));
  res.setHeader('ETag', `"sha256-${d.sha256}"`);
  res.setHeader('X-Content-SHA256', d.sha256);
  res.end(d.bytes);
}

const ERROR = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } }, required: ['code', 'message', 'details'] };
const DOCUMENT_HEADERS = {
  ETag: { description: '"sha256-<hex>": the SHA-256 of the bytes', schema: { type: 'string' } },
  'X-Content-SHA256': { description: 'the SHA-256 of the bytes (hex)', schema: { type: 'string' } },
  'Content-Disposition': { description: 'inline or attachment, with the file name', schema: { type: 'string' } },
};

/** The OpenAPI description of a document answer: the bytes, their hash headers, the errors every document route can answer. */
function DocumentResponses(mediaType: 'application/pdf' | 'application/xml', description: string, notFound: string) {
  return applyDecorators(
    ApiProduces(mediaType, 'application/json'),
    ApiOkResponse({ description, headers: DOCUMENT_HEADERS, content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } }),
    ApiResponse({ status: 401, description: 'UNAUTHENTICATED: no or an invalid credential', schema: ERROR }),
    ApiResponse({ status: 403, description: 'FORBIDDEN: the principal lacks ledger:read', schema: ERROR }),
    ApiResponse({ status: 404, description: notFound, schema: ERROR }),
    ApiResponse({ status: 409, description: 'COMPANY_IDENTITY_NOT_CONFIGURED (AR_COMPANY_* unset; details.variables), INVOICE_NOT_ISSUED (held or rejected)', schema: ERROR }),
  );
}

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('invoices/:id/pdf')
  @Requires('ledger:read')
  @ApiProduces('application/pdf')
  @ApiRead({ freshness: false, produces: 'application/pdf', errors: { 404: ['INVOICE_NOT_FOUND'], 409: ['COMPANY_IDENTITY_NOT_CONFIGURED', 'INVOICE_NOT_ISSUED'] } })
  @ApiOperation({ summary: 'Invoice PDF (Factur-X EN 16931): French mandatory mentions, the same bytes on every request' })
  async invoicePdf(@Param('id') id: string, @Res() res: Response): Promise<void> {
    send(res, await this.queries.execute<GetInvoiceDocumentQuery, RenderedDocument>(new GetInvoiceDocumentQuery(id, 'pdf')), 'inline');
  }

  @Get('invoices/:id/cii.xml')
  @Requires('ledger:read')
  @ApiProduces('application/xml')
  @ApiRead({ freshness: false, produces: 'application/xml', errors: { 404: ['INVOICE_NOT_FOUND'], 409: ['COMPANY_IDENTITY_NOT_CONFIGURED', 'INVOICE_NOT_ISSUED'] } })
  @ApiOperation({ summary: 'Invoice as CII XML (EN 16931), the e-invoice embedded in the PDF' })
  async invoiceCii(@Param('id') id: string, @Res() res: Response): Promise<void> {
    send(res, await this.queries.execute<GetInvoiceDocumentQuery, RenderedDocument>(new GetInvoiceDocumentQuery(id, 'cii')), 'inline');
  }

  @Get('credit-notes/:id/pdf')
  @Requires('ledger:read')
  @ApiProduces('application/pdf')
  @ApiRead({ freshness: false, produces: 'application/pdf', errors: { 404: ['CREDIT_NOTE_NOT_FOUND', 'INVOICE_NOT_FOUND'], 409: ['COMPANY_IDENTITY_NOT_CONFIGURED'] } })
  @ApiOperation({ summary: 'Credit note (avoir) PDF/A-3b, naming the invoice it corrects' })
  async creditNotePdf(@Param('id') id: string, @Res() res: Response): Promise<void> {
    send(res, await this.queries.execute<GetCreditNotePdfQuery, RenderedDocument>(new GetCreditNotePdfQuery(id)), 'inline');
  }

  @Get('customers/:id/statement.pdf')
  @Requires('ledger:read')
  @ApiProduces('application/pdf')
  @ApiRead({ produces: 'application/pdf', errors: { 400: ['DATE_MALFORMED', 'PERIOD_INVALID'], 404: ['CUSTOMER_NOT_FOUND'], 409: ['COMPANY_IDENTITY_NOT_CONFIGURED'] } })
  @ApiQuery({ name: 'from', example: '2026-01-01', schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', example: '2026-03-31', schema: { type: 'string', format: 'date' } })
  @ApiOperation({ summary: 'Statement of account (relevé de compte) as a PDF: the figures of GET /customers/:id/statement' })
  async statementPdf(@Param('id') id: string, @Query('from') from: string, @Query('to') to: string, @Res() res: Response): Promise<void> {
    const r = await this.queries.execute<GetStatementPdfQuery, QueryResult<RenderedDocument>>(new GetStatementPdfQuery(id, from, to));
    setFreshness(res, r);
    send(res, r.value, 'attachment');
  }
}
