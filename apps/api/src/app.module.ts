import { DynamicModule, Module } from '@nestjs/common';
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

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ApplicationModule.forRoot(config), IdempotencyModule, AuthModule],
      controllers: [CustomersController, InvoicesController, PaymentsController, ReportsController, ProjectionsController, MetricsController, InvoiceApprovalsController, CreditController, CollectionsController, CreditNotesController, DisputesController, LateChargesController, DunningController, PaymentPlansController, AuditController, AnalyticsController, ExportsController, PeriodsController, CashController, DocumentsController, ListsController],
    };
  }
}
