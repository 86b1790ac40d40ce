import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { QueryResult } from '../../../../libs/application/queries/queries';
import { ReplayHistoryQuery } from '../../../../libs/application/reporting/history-replay';
import { HistoryReplay } from '../../../../libs/application/reporting/history-stream';
import { GetStatementQuery } from '../../../../libs/application/reporting/reports';
import { historyJson, statementView } from '../../../../libs/application/reporting/views';
import type { Statement } from '../../../../projections';
import { invalid } from '../../../../libs/domain/shared/errors';
import { setFreshness } from '../http/freshness';
import { writeChunks } from '../http/stream-response';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

export function parseFlag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw invalid('FLAG_MALFORMED', `${field} must be true or false`, field);
}

@ApiTags('audit')
@Controller('customers')
export class AuditController {
  constructor(private readonly queries: QueryBus, private readonly replay: HistoryReplay) {}

  @Get(':id/history')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('audit:read')
  @ApiOperation({ summary: 'Auditor’s replay from the log: every event of the customer’s streams in log order, the account state as of a date, and (verify=true) the hash chains recomputed' })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-03-31' })
  @ApiQuery({ name: 'verify', required: false, example: 'true' })
  async history(@Param('id') id: string, @Query('asOf') asOf: string | undefined, @Query('verify') verify: string | undefined, @Res() res: Response): Promise<void> {
    // Streamed in flat memory (ADR 0109): pass 1 refuses (400, 404) or gives the verification and state, before any byte.
    const r = await this.replay.summarize(new ReplayHistoryQuery(id, asOf || undefined, parseFlag(verify, 'verify')));
    // Pass 2's first page is read before the headers too: a store failing there is still an error answer.
    const chunks = historyJson(r.value, this.replay.events(r.value))[Symbol.asyncIterator]();
    const first = await chunks.next();
    const second = first.done ? first : await chunks.next();
    setFreshness(res, r);
    if (r.value.verification) res.setHeader('X-Hash-Chain', r.value.verification.verified ? 'verified' : 'broken');
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (!first.done) res.write(first.value);
    await writeChunks(res, second, chunks);
  }

  @Get(':id/statement')
  @ApiRead({ errors: { 404: ['CUSTOMER_NOT_FOUND'] } })
  @Requires('ledger:read')
  @ApiOperation({ summary: 'Statement (relevé de compte): opening balance, every movement of the period with the running balance, closing balance' })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-03-31' })
  async statement(@Param('id') id: string, @Query('from') from: string, @Query('to') to: string, @Res({ passthrough: true }) res: Response) {
    const r = await this.queries.execute<GetStatementQuery, QueryResult<Statement>>(new GetStatementQuery(id, from, to));
    setFreshness(res, r);
    return statementView(r.value);
  }
}
