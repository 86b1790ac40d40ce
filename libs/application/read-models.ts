import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { Projector } from '../projection-runtime/projector';
import { READ_STORE, type Doc, type Filter, type FindOptions, type GetOptions, type ReadStore } from '../read-store/read-store.port';
import { APP_CONFIG } from './tokens';
import type { AppConfig } from './config';
import { readPage, type ListSpec, type Page, type PageRequest } from './queries/lists/list-page';

export interface Freshness {
  /** True when the read models had passed every event acknowledged before the query started. */
  fresh: boolean;
  position: number;
}

/**
 * Queries go to the read store only. Before reading, they wait (bounded) for the projections they use
 * to pass the log's head as it was when the query arrived: a GET after a write's 2xx sees that write.
 */
@Injectable()
export class ReadModels {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly projector: Projector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async catchUp(projections: readonly string[]): Promise<Freshness> {
    const head = await this.events.headPosition();
    if (head < 0) return { fresh: true, position: head };
    const fresh = await this.projector.waitForPosition(head, this.config.readWaitMs, projections);
    return { fresh, position: head };
  }

  async collection(projection: string): Promise<string | null> {
    return this.projector.liveCollection(projection);
  }

  async get<T = Doc>(projection: string, key: string, options?: GetOptions): Promise<T | null> {
    const c = await this.collection(projection);
    return c ? ((await this.store.get(c, key, options)) as T | null) : null;
  }

  async find<T = Doc>(projection: string, filter: Filter, options?: FindOptions): Promise<T[]> {
    const c = await this.collection(projection);
    return c ? ((await this.store.find(c, filter, options)) as T[]) : [];
  }

  /** `find` one document at a time (`ReadStore.forEach`): for reports that fold every match into a few figures. */
  async forEach<T = Doc>(projection: string, filter: Filter, options: FindOptions, visit: (doc: T) => void): Promise<number> {
    const c = await this.collection(projection);
    return c ? this.store.forEach(c, filter, options, visit as (doc: Doc) => void) : 0;
  }

  async getMany<T = Doc>(projection: string, keys: readonly string[]): Promise<Map<string, T>> {
    const c = await this.collection(projection);
    return c ? ((await this.store.getMany(c, keys)) as Map<string, T>) : new Map();
  }

  /** One page of a list (cursor pagination, ADR 0069). */
  async page<T = Doc>(projection: string, spec: ListSpec, filter: Filter, request: PageRequest, bindTo?: Record<string, unknown>): Promise<Page<T>> {
    const c = await this.collection(projection);
    if (!c) return { items: [], next: null, total: 0 };
    return (await readPage(this.store, c, spec, filter, request, bindTo)) as Page<T>;
  }
}
