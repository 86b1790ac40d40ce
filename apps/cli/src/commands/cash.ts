import { CommandBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { userInfo } from 'node:os';
import { CashApplier, ImportBankStatementCommand, loadCsvMapping, type ImportResult } from '../../../../libs/application/cash/cash.commands';
import { parseStatementFile } from '../../../../libs/application/cash/parse-statement';
import { generateStatement, ibanOf, toCamt053 } from '../../../../libs/application/cash/statement-generator';
import type { CommandContext } from '../../../../libs/application/command-context';
import { EventSourcedRepository } from '../../../../libs/application/event-sourced-repository';
import { parseDate } from '../../../../libs/domain/shared/dates';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { withApp } from '../app-context';
import { emit, type Io } from '../io';
import { positiveInt, type Runner } from './shared';

function cliContext(file: string): CommandContext {
  const id = randomUUID();
  return { actor: `cli:${userInfo().username}`, recordedAt: new Date().toISOString(), commandId: `import ${file} ${id}`, correlationId: id, causationId: `import ${file} ${id}` };
}

const MEDIA: Record<string, string> = { '.xml': 'application/xml', '.csv': 'text/csv', '.txt': 'text/plain', '.cfonb': 'text/plain', '.120': 'text/plain' };

/** `ar import statement FILE [--format camt|cfonb|csv] [--mapping NAME]` and `ar demo statements --seed N`. */
export function cashCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const imp = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('bring outside files into the ledger');
  imp.command('statement <file>')
    .description('import a bank statement (camt.053 .xml, CFONB 120 .txt, CSV with --mapping): receipts matched and applied, suggestions queued, returns reversed; idempotent')
    .option('--format <format>', 'camt | cfonb | csv (default: from the file extension)')
    .option('--mapping <name>', 'saved CSV column mapping (CSV only)')
    .option('--json')
    .action((file: string, o: { format?: string; mapping?: string; json?: boolean }) => run(() => withApp(env, true, async ({ app }) => {
      const media = o.format === 'camt' ? 'application/xml' : o.format === 'cfonb' ? 'text/plain' : o.format === 'csv' ? 'text/csv' : MEDIA[extname(file).toLowerCase()] ?? 'text/plain';
      const mapping = o.mapping ? await loadCsvMapping(app.get(EventSourcedRepository), o.mapping) : undefined;
      const parsed = parseStatementFile(readFileSync(file), media, mapping);
      const r = await app.get(CommandBus).execute<ImportBankStatementCommand, ImportResult>(new ImportBankStatementCommand(parsed, cliContext(file)));
      const c = r.counts;
      emit(io, o, {
        json: r,
        head: ['bank ref', 'date', 'direction', 'amount', 'outcome', 'customer', 'rule', 'confidence'],
        rows: r.entries.map((e) => [e.bankRef, e.bookingDate, e.direction, formatAmount(e.amount, e.currency), e.outcome, e.customerId ?? null, e.rule ?? null, e.confidence ?? null]),
        before: [`Statement ${r.statementId} (${r.format}, account ${r.account}): ${c.entries} entries, ${c.recorded} new, ${c.alreadyKnown} already known`],
        after: [`${c.applied} applied, ${c.suggested} suggested, ${c.unmatched} in suspense, ${c.debits} debits (${c.returns} returns applied), ${c.skippedPending} pending skipped`],
      });
    })));

  const demo = program.commands.find((c) => c.name() === 'demo') ?? program.command('demo').description('demonstration data');
  demo.command('statements')
    .description('a realistic camt.053.001.08 statement over the ledger\'s open items (exact references, typos, several invoices, partials, discounts, fees, other payers, unrelated credits), reproducible by seed')
    .option('--seed <s>', 'random seed', positiveInt('--seed'), 1)
    .option('--entries <n>', 'number of entries', positiveInt('--entries'), 50)
    .option('--date <date>', 'booking date', new Date().toISOString().slice(0, 10))
    .option('--account <iban>', 'the company account', 'FR7630006000011234567890189')
    .option('--out <file>', 'write the statement here (default: stdout)')
    .option('--truth <file>', 'also write what each entry truly pays (JSON), to score the matching')
    .action((o: { seed: number; entries: number; date: string; account: string; out?: string; truth?: string }) => run(() => withApp(env, true, async ({ app }) => {
      const date = parseDate(o.date, 'date');
      const ctx = await app.get(CashApplier).context(new Date().toISOString());
      const g = generateStatement(ctx.openItems, ctx.customers, { seed: o.seed, count: o.entries, bookingDate: date, account: o.account });
      // The generated payers' IBANs are not known to this ledger: entries of the known-IBAN scenarios fall back to names.
      const xml = toCamt053(g.entries.map((e) => e.entry), { id: `DEMO-${o.seed}-${date}`, account: o.account, date });
      if (o.out) writeFileSync(o.out, xml); else io.out(xml);
      if (o.truth) writeFileSync(o.truth, JSON.stringify(g.entries.map((e) => ({ bankRef: e.entry.bankRef, scenario: e.scenario, truth: e.truth, payerIban: e.truth ? ibanOf(e.truth.customerId) : null })), null, 2) + '\n');
      if (o.out) io.err(`${g.entries.length} entries over ${ctx.openItems.length} open items written to ${o.out}\n`);
    })));
}
