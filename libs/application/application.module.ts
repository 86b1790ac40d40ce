import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { ALL_PROJECTIONS } from '../../projections';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { Projector } from '../projection-runtime/projector';
import { FencedReadStore } from '../projection-runtime/fenced-read-store';
import { LeaseKeeper, type LeaseState } from '../projection-runtime/lease-keeper';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { ChangeCreditLimitHandler, ChangeCustomerDetailsHandler, DecideLimitIncreaseHandler, RegisterCustomerHandler } from './commands/customer.commands';
import { CustomerProfiles, GetCustomerProfileHandler } from './queries/customer.queries';
import { PersonalData } from './privacy/personal-data';
import { EraseCustomerHandler } from './commands/erasure.commands';
import { ApplyPaymentHandler, CustomerLocks, IssueInvoiceHandler } from './commands/invoice.commands';
import { RecordPaymentHandler } from './commands/payment.commands';
import {
  AssessCreditHandler, ChangeCreditPolicyHandler, ChangePaymentTermsHandler, PlaceCreditHoldHandler, ReleaseCreditHoldHandler,
} from './commands/credit.commands';
import { ApproveInvoiceHandler, RejectInvoiceHandler } from './commands/invoice-approval.commands';
import { CreditHoldPolicy, CreditHoldScheduler } from './credit-hold-policy';
import { CreditStandingReader } from './credit-standing';
import { GetApprovalRequestsHandler, GetCreditExposureReportHandler, GetCustomerCreditHandler, GetPendingApprovalsHandler } from './queries/credit.queries';
import { COLLECTION_COMMAND_HANDLERS } from './commands/collection.commands';
import { CREDIT_NOTE_COMMAND_HANDLERS } from './commands/credit-note.commands';
import { LATE_CHARGE_HANDLERS } from './commands/late-charges.commands';
import { PAYMENT_PLAN_HANDLERS } from './commands/payment-plan.commands';
import { CREDIT_HOLDS, createOutbox, DUNNING_PROVIDERS } from './dunning/dunning';
import { CommandBusCreditHolds } from './dunning/command-bus-credit-holds';
import { OUTBOX } from '../outbox/outbox.port';
import { COLLECTION_QUERY_HANDLERS } from './queries/collection.queries';
import { LIST_QUERY_HANDLERS } from './queries/lists/list.queries';
import type { AppConfig } from './config';
import { EventSourcedRepository } from './event-sourced-repository';
import { createDataKeyStore, createEventStore, createReadStore } from './infrastructure';
import { DATA_KEY_STORE, type DataKeyStore } from '../privacy/data-key-store.port';
import { ProcessManager } from './process-manager';
import { backgroundReadiness, type BackgroundReadiness } from './workflow-health';
import { GetAgingHandler, GetBalanceHandler, GetHistoryHandler, GetInvoiceHandler } from './queries/queries';
import { ReadModels } from './read-models';
import { REPORTING_PROVIDERS } from './reporting/reporting.providers';
import { CASH_HANDLERS } from './cash/cash.commands';
import { PERIOD_PROVIDERS } from './periods/period.commands';
import { JournalReader } from './reporting/reports';
import { HistoryReplay } from './reporting/history-stream';
import { APP_CONFIG, WORKER_READ_STORE } from './tokens';
import { IdentityModule } from '../identity/identity.module';
import { CUSTOMER_PROFILES } from '../documents/identity';
import { ReadModelCustomerProfiles } from './documents/customer-profiles';
import { DOCUMENT_PROVIDERS } from './documents/documents';
import { AppMetrics, instrumentCommandBus } from './metrics';
import { ReadinessChecks } from './readiness';

/** Name of the lease the background workers hold in the read store (ADR 0063). */
export const WORKERS_LEASE = 'background-workers';

/**
 * The background work of the process: projector and process manager (when configured in-process).
 * Started once the application is initialised — after @nestjs/cqrs has registered its handlers, which it
 * does in its own bootstrap hook — and before the API listens; stops them and closes the stores last.
 * With a lease (AR_LEASE_TTL_MS > 0, ADR 0063), only the instance holding it runs them, every write fenced by
 * its token; the others serve reads from the shared read store and take over when the lease lapses.
 */
@Injectable()
export class BackgroundWorkers implements OnApplicationShutdown {
  private readonly logger = new Logger('BackgroundWorkers');
  private keeper: LeaseKeeper | null = null;
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly projector: Projector,
    private readonly processManager: ProcessManager,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(WORKER_READ_STORE) private readonly workerReads: FencedReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
  ) {}

  async start(): Promise<void> {
    if (!this.config.projectorInProcess) return;
    if (this.config.leaseTtlMs === 0) return this.startWork();
    this.keeper = new LeaseKeeper({
      store: this.reads,
      name: WORKERS_LEASE,
      holder: this.holder,
      ttlMs: this.config.leaseTtlMs,
      onAcquired: async (token) => {
        this.workerReads.fence = { lease: WORKERS_LEASE, token };
        await this.startWork();
      },
      onLost: async () => {
        // The fence stays: a write still in flight carries the old token and is refused.
        await this.stopWork();
      },
      logger: { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
    });
    await this.keeper.start();
  }

  /** `off`: this process runs no background work; `unleased`: it runs it without a lease; else the lease's state. */
  role(): { role: 'off' | 'unleased' } | LeaseState {
    if (!this.config.projectorInProcess) return { role: 'off' };
    return this.keeper ? this.keeper.state() : { role: 'unleased' };
  }

  /** Readiness input for the health module: this instance's role and its subscriptions' states. */
  readiness(): BackgroundReadiness {
    return backgroundReadiness(this.role().role, this.projector.subscriptionHealth(), this.processManager.subscriptionHealth());
  }

  private async startWork(): Promise<void> {
    await this.projector.start();
    await this.processManager.start();
  }

  private async stopWork(): Promise<void> {
    await this.processManager.stop();
    await this.projector.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.keeper) await this.keeper.stop();
    else await this.stopWork();
    await this.events.close();
    await this.reads.close();
    await this.dataKeys.close();
  }
}

/** Feeds the metrics (ADR 0065): commands counted at the bus, the background work's gauges read at scrape time. */
@Injectable()
export class MetricsWiring implements OnModuleInit {
  constructor(
    private readonly metrics: AppMetrics,
    private readonly commandBus: CommandBus,
    private readonly projector: Projector,
    private readonly processManager: ProcessManager,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  onModuleInit(): void {
    instrumentCommandBus(this.commandBus as unknown as Parameters<typeof instrumentCommandBus>[0], this.metrics);
    this.metrics.registerBackground(this.projector, this.processManager, this.events);
  }
}

/** The composition root: ports bound to adapters chosen by configuration, handlers, process manager. */
@Module({})
export class ApplicationModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = new Logger('Projector');
    return {
      module: ApplicationModule,
      global: true,
      imports: [CqrsModule.forRoot(), IdentityModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: AppMetrics, useFactory: () => new AppMetrics() },
        { provide: ReadinessChecks, useFactory: () => new ReadinessChecks() },
        { provide: EVENT_STORE, inject: [AppMetrics], useFactory: (metrics: AppMetrics) => metrics.instrumentAppends(createEventStore(config)) },
        { provide: READ_STORE, useFactory: () => createReadStore(config) },
        { provide: DATA_KEY_STORE, useFactory: () => createDataKeyStore(config) },
        { provide: WORKER_READ_STORE, inject: [READ_STORE], useFactory: (readStore: ReadStore) => new FencedReadStore(readStore) },
        {
          provide: Projector,
          inject: [EVENT_STORE, WORKER_READ_STORE],
          useFactory: (eventStore: EventStore, readStore: ReadStore) =>
            new Projector({
              eventStore, readStore, projections: ALL_PROJECTIONS,
              rebuildFlush: { maxDocuments: config.rebuildFlushDocuments, maxMs: config.rebuildFlushMs },
              retry: config.stepRetry,
              logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
            }),
        },
        EventSourcedRepository,
        ReadModels,
        CustomerLocks,
        BackgroundWorkers,
        MetricsWiring,
        ProcessManager,
        RegisterCustomerHandler,
        ChangeCustomerDetailsHandler,
        EraseCustomerHandler,
        GetCustomerProfileHandler,
        CustomerProfiles,
        PersonalData,
        ChangeCreditLimitHandler,
        DecideLimitIncreaseHandler,
        IssueInvoiceHandler,
        ApplyPaymentHandler,
        RecordPaymentHandler,
        GetBalanceHandler,
        GetInvoiceHandler,
        GetAgingHandler,
        GetHistoryHandler,
        CreditStandingReader,
        ChangePaymentTermsHandler,
        ChangeCreditPolicyHandler,
        PlaceCreditHoldHandler,
        ReleaseCreditHoldHandler,
        AssessCreditHandler,
        ApproveInvoiceHandler,
        RejectInvoiceHandler,
        CreditHoldPolicy,
        CreditHoldScheduler,
        GetCustomerCreditHandler,
        GetCreditExposureReportHandler,
        GetPendingApprovalsHandler,
        GetApprovalRequestsHandler,
        ...COLLECTION_COMMAND_HANDLERS,
        ...CREDIT_NOTE_COMMAND_HANDLERS,
        ...LATE_CHARGE_HANDLERS,
        ...PAYMENT_PLAN_HANDLERS,
        { provide: OUTBOX, useFactory: () => createOutbox(config) },
        { provide: CREDIT_HOLDS, useClass: CommandBusCreditHolds },
        ...DUNNING_PROVIDERS,
        { provide: CUSTOMER_PROFILES, useClass: ReadModelCustomerProfiles },
        ...DOCUMENT_PROVIDERS,
        ...COLLECTION_QUERY_HANDLERS,
        ...LIST_QUERY_HANDLERS,
        ...REPORTING_PROVIDERS,
        ...CASH_HANDLERS,
        ...PERIOD_PROVIDERS,
      ],
      exports: [APP_CONFIG, AppMetrics, ReadinessChecks, EVENT_STORE, READ_STORE, Projector, ReadModels, EventSourcedRepository, ProcessManager, BackgroundWorkers, WORKER_READ_STORE, CreditHoldPolicy, JournalReader, HistoryReplay, CustomerProfiles, PersonalData, DATA_KEY_STORE],
    };
  }
}
