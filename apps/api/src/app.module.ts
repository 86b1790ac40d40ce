import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { HealthController } from './operations/health.controller';
import { ApplicationModule } from '../../../libs/application/application.module';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from '../../../libs/application/config';
import { CreditController } from './credit/credit.controller';
import { CollectionsController } from './collections/collections.controller';
import { CreditNotesController } from './credit-notes/credit-notes.controller';
import { DisputesController } from './disputes/disputes.controller';
import { LateChargesController } from './late-charges/late-charges.controller';
import { DunningController } from './dunning/dunning.controller';
import { PaymentPlansController } from './payment-plans/payment-plans.controller';
import { InvoiceApprovalsController } from './invoices/invoice-approvals.controller';
import { AuditController } from './audit/audit.controller';
import { CustomersController } from './customers/customers.controller';
import { CashController } from './cash/cash.controller';
import { ListsController } from './lists/lists.controller';
import { DocumentsController } from './documents/documents.controller';
import { IdempotencyModule } from './http/idempotency';
import { ExportsController } from './exports/exports.controller';
import { AnalyticsController } from './reports/analytics.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { ProjectionsController } from './operations/projections.controller';
import { MetricsController } from './operations/metrics.controller';
import { PaymentsController } from './payments/payments.controller';
import { PeriodsController } from './periods/periods.controller';
import { ReportsController } from './reports/reports.controller';

/**
 * `@nestjs/config` serves the configuration `loadConfig` validated (ADR 0068): `ConfigService<AppConfig, true>`
 * reads typed values. Neither process.env nor a `.env` file is read again here, and nothing is written to process.env.
 */
export function configModule(config: AppConfig) {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, cache: true, load: [() => ({ ...config })] });
}

@Module({})
export class AppModule {
  /** `logger`: the pino logger of the access lines (createHttpLogger): Nest's own logs go through it too. */
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The access line and the request context are installed by createApp with app.use, before the edge (no route-bound middleware).
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
        TerminusModule.forRoot({ logger: false }),
        configModule(config),
        ApplicationModule.forRoot(config), IdempotencyModule, AuthModule,
      ],
      controllers: [HealthController, CustomersController, InvoicesController, PaymentsController, ReportsController, ProjectionsController, MetricsController, InvoiceApprovalsController, CreditController, CollectionsController, CreditNotesController, DisputesController, LateChargesController, DunningController, PaymentPlansController, AuditController, AnalyticsController, ExportsController, PeriodsController, CashController, DocumentsController, ListsController],
    };
  }
}
