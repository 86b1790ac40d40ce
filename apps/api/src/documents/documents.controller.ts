import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GetCreditNotePdfQuery, GetInvoiceDocumentQuery, GetStatementPdfQuery, type RenderedDocument,
} from '../../../../libs/application/documents/documents';
import type { QueryResult } from '../../../../libs/application/queries/queries';
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

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('invoices/:id/pdf')
  @Requires('ledger:read')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The invoice as PDF/A-3b with its Factur-X (CII, EN 16931) XML embedded as factur-x.xml' })
  @ApiOperation({ summary: 'Invoice PDF (Factur-X EN 16931): French mandatory mentions, the same bytes on every request' })
  async invoicePdf(@Param('id') id: string, @Res() res: Response): Promise<void> {
    send(res, await this.queries.execute<GetInvoiceDocumentQuery, RenderedDocument>(new GetInvoiceDocumentQuery(id, 'pdf')), 'inline');
  }

  @Get('invoices/:id/cii.xml')
  @Requires('ledger:read')
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'UN/CEFACT CII D16B, EN 16931 profile; byte-identical to the PDF’s factur-x.xml' })
  @ApiOperation({ summary: 'Invoice as CII XML (EN 16931), the e-invoice embedded in the PDF' })
  async invoiceCii(@Param('id') id: string, @Res() res: Response): Promise<void> {
    send(res, await this.queries.execute<GetInvoiceDocumentQuery, RenderedDocument>(new GetInvoiceDocumentQuery(id, 'cii')), 'inline');
  }

  @Get('credit-notes/:id/pdf')
  @Requires('ledger:read')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'Credit note (avoir) PDF/A-3b, naming the invoice it corrects' })
  async creditNotePdf(@Param('id') id: string, @Res() res: Response): Promise<void> {
    send(res, await this.queries.execute<GetCreditNotePdfQuery, RenderedDocument>(new GetCreditNotePdfQuery(id)), 'inline');
  }

  @Get('customers/:id/statement.pdf')
  @Requires('ledger:read')
  @ApiProduces('application/pdf')
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-03-31' })
  @ApiOperation({ summary: 'Statement of account (relevé de compte) as a PDF: the figures of GET /customers/:id/statement' })
  async statementPdf(@Param('id') id: string, @Query('from') from: string, @Query('to') to: string, @Res() res: Response): Promise<void> {
    const r = await this.queries.execute<GetStatementPdfQuery, QueryResult<RenderedDocument>>(new GetStatementPdfQuery(id, from, to));
    setFreshness(res, r);
    send(res, r.value, 'attachment');
  }
}
