import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertPeriodOpen, BOOKS_STREAM, booksDecider, type BooksState } from '../../domain/books/books.decider';
import type { BooksEvent } from '../../domain/books/books.events';
import { fold } from '../../domain/shared/decider';
import { DomainError } from '../../domain/shared/errors';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { CommandContext } from '../command-context';
import { admitted } from '../command-admission';
import { datesOf } from './command-dates';
import { horizonRefusal } from '../effective-dates';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../tokens';

/** The books' closing as recorded in the log (the write side never trusts a read model for a refusal). */
export async function readBooks(store: EventStore): Promise<BooksState> {
  const events = await store.readStream(BOOKS_STREAM);
  return fold(booksDecider, events as unknown as BooksEvent[]);
}

/**
 * The one place where every command's business dates are checked — against the future horizon (ADR 0031) and the
 * closed periods (ADR 0048) — whichever handler
 * runs it (HTTP, CLI, scheduler): installed around CommandBus.execute. Only commands that originate a chain are
 * checked (causationId = commandId, as the HTTP and CLI edges and the schedulers build them); follow-on commands
 * (a payment's allocations, the process manager finishing a step after a crash) carry an event as causation and
 * share the verdict of their origin, so a step of an accepted command is never refused half-way.
 */
@Injectable()
export class CommandGate implements OnModuleInit {
  /** The books folded up to the event (revision, hash): states are never mutated, so one fold serves many commands. */
  private lastBooks: { revision: number; hash: string; state: BooksState } | null = null;

  constructor(
    private readonly bus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const execute = this.bus.execute.bind(this.bus) as (command: object, context?: unknown) => Promise<unknown>;
    const gated = async (command: object, context?: unknown): Promise<unknown> => {
      const ctx = (command as { ctx?: CommandContext }).ctx;
      if (ctx !== undefined && ctx.causationId !== ctx.commandId) return execute(command, context);
      return admitted(await this.verdict(command), () => execute(command, context));
    };
    this.bus.execute = gated as CommandBus['execute'];
  }

  /**
   * The books as `readBooks` folds them, reusing the last fold while the stream's tail is the same event (revision and
   * chain hash): each command reads the tail (on SQLite, from memory while no other process committed) instead of
   * re-reading and re-parsing every closing ever recorded. Another process's closing changes the tail, so it is
   * seen by the next command exactly as before (ADR 0101).
   */
  private async books(): Promise<BooksState> {
    const [tail] = await this.store.readStream(BOOKS_STREAM, { direction: 'backward', maxCount: 1 });
    if (!tail) return booksDecider.initialState();
    const known = this.lastBooks;
    if (known && known.revision === tail.revision && known.hash === tail.metadata.hash) return known.state;
    const events = await this.store.readStream(BOOKS_STREAM);
    const state = fold(booksDecider, events as unknown as BooksEvent[]);
    const last = events[events.length - 1];
    if (last) this.lastBooks = { revision: last.revision, hash: last.metadata.hash, state };
    return state;
  }

  /** Null when the command may write; else the refusal its first append will throw. */
  async verdict(command: object): Promise<DomainError | null> {
    const dates = await datesOf(command, this.store);
    if (dates.length === 0) return null;
    const beyond = horizonRefusal(dates, (command as { ctx?: CommandContext }).ctx, this.config.dateHorizonDays);
    if (beyond) return beyond;
    const books = await this.books();
    try {
      for (const d of dates) assertPeriodOpen(books, d.field, d.date);
      return null;
    } catch (err) {
      if (err instanceof DomainError) return err;
      throw err;
    }
  }
}
