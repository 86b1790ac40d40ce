import { DynamicModule, Module } from '@nestjs/common';
import { ApplicationModule } from '../../../libs/application/application.module';
import type { AppConfig } from '../../../libs/application/config';
import { AuditController } from './audit/audit.controller';
import { CustomersController } from './customers/customers.controller';
import { ExportsController } from './exports/exports.controller';
import { AnalyticsController } from './reports/analytics.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { ProjectionsController } from './operations/projections.controller';
import { PaymentsController } from './payments/payments.controller';
import { ReportsController } from './reports/reports.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ApplicationModule.forRoot(config)],
      controllers: [CustomersController, InvoicesController, PaymentsController, ReportsController, ProjectionsController, AuditController, AnalyticsController, ExportsController],
    };
  }
}
