import { ReplayHistoryHandler } from './history-replay';
import { HistoryReplay } from './history-stream';
import { GetAgingByInvoiceHandler, GetDsoHandler, GetEclHandler, GetStatementHandler, JournalReader } from './reports';

/** Issue 5's query side: the auditor's replay and the analysts' reports and exports. */
export const REPORTING_PROVIDERS = [ReplayHistoryHandler, HistoryReplay, GetStatementHandler, GetDsoHandler, GetEclHandler, GetAgingByInvoiceHandler, JournalReader];
