import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { ClosePeriodCommand, GetBooksQuery, ReopenPeriodCommand, type BooksChange, type BooksView } from '../../../../libs/application/periods/period.commands';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { Requires } from '../auth/requires.decorator';
import { DATE, DATE_MESSAGE } from '../http/dto-rules';
import { ApiCommand, ApiRead } from '../http/api-contract';

export class ClosePeriodDto {
  @ApiProperty({ example: '2026-03-31', description: 'Last business date closed: every fact dated on or before it is then refused' })
  @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  through!: string;

  @ApiProperty({ example: 'Q1 2026 closing' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

export class ReopenPeriodDto {
  @ApiProperty({ example: '2026-03-01', description: 'First business date open again (the closing goes back to the day before)' })
  @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  from!: string;

  @ApiProperty({ example: 'Auditor adjustment agreed with the statutory auditor' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

/**
 * Closing of the books. Permissions (bound by the authentication module's route guard): closing is an
 * accountant's act; `reopen` needs the admin permission.
 */
@ApiTags('periods')
@Controller('periods')
export class PeriodsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Requires('ledger:read')
  @Get()
  @ApiRead({ freshness: false })
  @ApiOperation({ summary: 'The date the books are closed through, and every closing and reopening' })
  get() {
    return this.queries.execute<GetBooksQuery, BooksView>(new GetBooksQuery());
  }

  @Requires('books:close')
  @Post('close')
  @ApiCommand({ status: 200 })
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the books through a date: afterwards a command dated on or before it is refused (422 PERIOD_CLOSED)' })
  async close(@Body() dto: ClosePeriodDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    return this.answer(await this.commands.execute<ClosePeriodCommand, BooksChange>(new ClosePeriodCommand(dto.through, dto.reason, cmd)), res);
  }

  /** Admin only (see the class comment): reopening changes what is final. */
  @Requires('books:close')
  @Post('reopen')
  @ApiCommand({ status: 200 })
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen the books from a date (admin, with a reason); the closing goes back to the day before' })
  async reopenPeriod(@Body() dto: ReopenPeriodDto, @Command() cmd: HttpCommand, @Res({ passthrough: true }) res: Response) {
    return this.answer(await this.commands.execute<ReopenPeriodCommand, BooksChange>(new ReopenPeriodCommand(dto.from, dto.reason, cmd)), res);
  }

  private answer(r: BooksChange, res: Response) {
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { closedThrough: r.closedThrough, changed: r.changed, position: r.position };
  }
}
