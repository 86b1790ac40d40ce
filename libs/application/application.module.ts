import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { ALL_PROJECTIONS } from '../../projections';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { Projector } from '../projection-runtime/projector';
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
import { GetAgingHandler, GetBalanceHandler, GetHistoryHandler, GetInvoiceHandler } from './queries/queries';
import { ReadModels } from './read-models';
import { REPORTING_PROVIDERS } from './reporting/reporting.providers';
import { CASH_HANDLERS } from './cash/cash.commands';
import { PERIOD_PROVIDERS } from './periods/period.commands';
import { JournalReader } from './reporting/reports';
import { APP_CONFIG } from './tokens';
import { IdentityModule } from '../identity/identity.module';
import { CUSTOMER_PROFILES } from '../documents/identity';
import { ReadModelCustomerProfiles } from './documents/customer-profiles';
import { DOCUMENT_PROVIDERS } from './documents/documents';
import { AppMetrics, instrumentCommandBus } from './metrics';
import { ReadinessChecks } from './readiness';

/**
 * The background work of the process: projector and process manager (when configured in-process).
 * Started once the application is initialised — after @nestjs/cqrs has registered its handlers, which it
 * does in its own bootstrap hook — and before the API listens; stops them and closes the stores last.
 */
@Injectable()
export class BackgroundWorkers implements OnApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    private readonly processManager: ProcessManager,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
  ) {}

  async start(): Promise<void> {
    if (!this.config.projectorInProcess) return;
    await this.projector.start();
    await this.processManager.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.processManager.stop();
    await this.projector.stop();
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
        {
          provide: Projector,
          inject: [EVENT_STORE, READ_STORE],
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
      exports: [APP_CONFIG, AppMetrics, ReadinessChecks, EVENT_STORE, READ_STORE, Projector, ReadModels, EventSourcedRepository, ProcessManager, CreditHoldPolicy, JournalReader, CustomerProfiles, PersonalData, DATA_KEY_STORE],
    };
  }
}
