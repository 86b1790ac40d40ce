import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { loadChartOfAccounts } from '../../../../libs/application/reporting/chart';
import { journalChunks, journalExportRequest } from '../../../../libs/application/reporting/journal-export';
import { JournalReader } from '../../../../libs/application/reporting/reports';
import { setFreshness } from '../http/freshness';
import { fecFileName } from '../../../../projections';
import type { AppConfig } from '../../../../libs/application/config';
import { APP_CONFIG } from '../../../../libs/application/tokens';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(private readonly journal: JournalReader, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('journal')
  @ApiRead()
  @Requires('exports:read')
  @ApiOperation({ summary: 'Double-entry journal of a period (by accounting date), streamed: CSV, or FEC (18 columns, tab-separated, YYYYMMDD, decimal comma). Accounts from AR_JOURNAL_ACCOUNTS or the French chart' })
  @ApiProduces('text/csv', 'text/plain')
  @ApiQuery({ name: 'from', required: false, example: '2026-01-01' })
  @ApiQuery({ name: 'to', required: false, example: '2026-12-31' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'fec'] })
  async journalExport(@Query('from') from: string | undefined, @Query('to') to: string | undefined, @Query('format') format: string | undefined, @Res() res: Response): Promise<void> {
    const fx = { accountingCurrency: this.config.accountingCurrency, rates: this.config.fxRates };
    const request = journalExportRequest({ from, to, format, chart: loadChartOfAccounts(), fx });
    const f = await this.journal.catchUp();
    // The first chunk is read before the headers: a refusal found while preparing it (422 FX_RATE_UNKNOWN) is an error answer.
    const chunks = journalChunks(this.journal, request)[Symbol.asyncIterator]();
    const first = await chunks.next();
    setFreshness(res, f);
    const fec = request.format === 'fec';
    res.status(200);
    res.setHeader('Content-Type', fec ? 'text/plain; charset=utf-8' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fec ? fecFileName(this.config.companySiren, request.to) : `journal-${request.from}-${request.to}.csv`}"`);
    for (let next = first; !next.done; next = await chunks.next()) {
      const chunk = next.value;
      if (res.destroyed) return; // the client went away: stop reading pages
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    res.end();
  }
}
