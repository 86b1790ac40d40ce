import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { BOOKS_STREAM, booksDecider } from '../../domain/books/books.decider';
import type { BooksEvent } from '../../domain/books/books.events';
import { dateOfInstant, type CalendarDate } from '../../domain/shared/dates';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { CommandContext } from '../command-context';
import { EventSourcedRepository } from '../event-sourced-repository';
import { CommandGate, readBooks } from './command-gate';

/** Close the books through a date (every fact dated on or before it is then refused). */
export class ClosePeriodCommand {
  constructor(readonly through: string, readonly reason: string, readonly ctx: CommandContext) {}
}

/** Reopen the books from a date (admin only, with a reason): the closing goes back to the day before. */
export class ReopenPeriodCommand {
  constructor(readonly from: string, readonly reason: string, readonly ctx: CommandContext) {}
}

export interface BooksChange {
  closedThrough: CalendarDate | null;
  /** False when the books were already closed through that date (nothing appended). */
  changed: boolean;
  position: number;
  replayed: boolean;
}

async function change(repo: EventSourcedRepository, ctx: CommandContext, command: Parameters<typeof booksDecider.decide>[0]): Promise<BooksChange> {
  const r = await repo.handle(BOOKS_STREAM, booksDecider, ctx, () => command);
  const state = r.replayed ? (r.events as BooksEvent[]).reduce(booksDecider.evolve, booksDecider.initialState()) : r.state;
  const closedThrough = r.replayed ? (r.events[r.events.length - 1] as BooksEvent).data.through : state.closedThrough;
  return { closedThrough, changed: r.events.length > 0, position: r.position, replayed: r.replayed };
}

@CommandHandler(ClosePeriodCommand)
export class ClosePeriodHandler implements ICommandHandler<ClosePeriodCommand, BooksChange> {
  constructor(private readonly repo: EventSourcedRepository) {}

  execute(c: ClosePeriodCommand): Promise<BooksChange> {
    return change(this.repo, c.ctx, { type: 'ClosePeriod', through: c.through, reason: c.reason, actor: c.ctx.actor, today: dateOfInstant(c.ctx.recordedAt) });
  }
}

@CommandHandler(ReopenPeriodCommand)
export class ReopenPeriodHandler implements ICommandHandler<ReopenPeriodCommand, BooksChange> {
  constructor(private readonly repo: EventSourcedRepository) {}

  execute(c: ReopenPeriodCommand): Promise<BooksChange> {
    return change(this.repo, c.ctx, { type: 'ReopenPeriod', from: c.from, reason: c.reason, actor: c.ctx.actor });
  }
}

export class GetBooksQuery {}

export interface BooksView {
  closedThrough: CalendarDate | null;
  /** Every closing and reopening, oldest first, with who, when and why. */
  history: Array<{ type: BooksEvent['type']; through: CalendarDate; from?: CalendarDate; reason: string; actor: string; recordedAt: string; position: number }>;
}

/** The closings read from the log (the same source the command gate refuses on). */
@QueryHandler(GetBooksQuery)
export class GetBooksHandler implements IQueryHandler<GetBooksQuery, BooksView> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<BooksView> {
    const events = await this.store.readStream(BOOKS_STREAM);
    const state = await readBooks(this.store);
    return {
      closedThrough: state.closedThrough,
      history: events.map((e) => {
        const b = e as unknown as BooksEvent;
        return {
          type: b.type, through: b.data.through, ...(b.type === 'PeriodReopened' ? { from: b.data.from } : {}), reason: b.data.reason,
          actor: e.metadata.actor, recordedAt: e.metadata.recordedAt, position: e.position,
        };
      }),
    };
  }
}

export const PERIOD_PROVIDERS = [CommandGate, ClosePeriodHandler, ReopenPeriodHandler, GetBooksHandler];
