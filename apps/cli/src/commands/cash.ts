import { CommandBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { userInfo } from 'node:os';
import { AcceptSuggestionCommand, CashApplier, ImportBankStatementCommand, MatchBankEntryCommand, cashStreams, loadCsvMapping, type ImportResult } from '../../../../libs/application/cash/cash.commands';
import type { RecordedPayment } from '../../../../libs/application/commands/payment.commands';
import { DomainError } from '../../../../libs/domain/shared/errors';
import { parseStatementFile } from '../../../../libs/application/cash/parse-statement';
import { generateStatement, ibanOf, toCamt053 } from '../../../../libs/application/cash/statement-generator';
import type { CommandContext } from '../../../../libs/application/command-context';
import { EventSourcedRepository } from '../../../../libs/application/event-sourced-repository';
import { parseDate } from '../../../../libs/domain/shared/dates';
import { formatAmount } from '../../../../libs/domain/shared/money';
import { withApp } from '../app-context';
import { emit, type Io } from '../io';
import { nonNegativeInt, positiveInt, type Runner } from './shared';
import { invalidOption } from '../io';

function cliContext(file: string): CommandContext {
  const id = randomUUID();
  return { actor: `cli:${userInfo().username}`, recordedAt: new Date().toISOString(), commandId: `import ${file} ${id}`, correlationId: id, causationId: `import ${file} ${id}` };
}

const MEDIA: Record<string, string> = { '.xml': 'application/xml', '.csv': 'text/csv', '.txt': 'text/plain', '.cfonb': 'text/plain', '.120': 'text/plain' };

function clerkContext(what: string): CommandContext {
  const id = randomUUID();
  return { actor: `cli:${userInfo().username}`, recordedAt: new Date().toISOString(), commandId: `${what} ${id}`, correlationId: id, causationId: `${what} ${id}` };
}

/** `--allocate INVOICE=AMOUNT`, repeatable. */
function allocation(value: string, previous: Array<{ invoiceId: string; amount: string }> = []) {
  const m = /^([^=\s]+)=(\S+)$/.exec(value);
  if (!m) throw invalidOption(`--allocate takes INVOICE=AMOUNT (e.g. inv-1=472.50), got "${value}"`);
  return [...previous, { invoiceId: m[1], amount: m[2] }];
}

async function bookingDateOf(repo: EventSourcedRepository, entryId: string): Promise<string> {
  const [first] = await repo.store.readStream(cashStreams.entry(entryId), { maxCount: 1 });
  if (!first) throw new DomainError('BANK_ENTRY_NOT_FOUND', `No bank entry ${entryId}`, { entryId, field: 'entryId' }, 'not_found');
  return String(first.data.bookingDate);
}

function receiptLines(io: Io, o: { json?: boolean }, r: { payment: RecordedPayment; position: number }): void {
  const p = r.payment;
  const f = (m: number) => formatAmount(m, p.currency);
  emit(io, o, {
    json: { ...p, position: r.position },
    head: ['invoice', 'amount'],
    rows: p.allocations.map((a) => [a.invoiceId, f(a.amount)]),
    before: [`Receipt ${p.paymentId} for ${p.customerId}: ${f(p.amount)} ${p.currency}`],
    after: [`unapplied ${f(p.unapplied)}`, ...(p.bankFees ? [`bank fees ${f(p.bankFees.amount)} written off on ${p.bankFees.invoiceId} (627)`] : [])],
  });
}

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

  const cash = program.command('cash').description('cash application: the suggestions a clerk decides');
  cash.command('accept <entryId>')
    .description('accept a suggested match of a bank entry (POST /cash-application/suggestions/:id/accept)')
    .option('--candidate <n>', 'which candidate (default the first, 0)', nonNegativeInt('--candidate'))
    .option('--bank-fees', 'write what the receipt leaves owing on its one invoice off as bank fees (627), at most AR_CASH_FEE_TOLERANCE')
    .option('--json')
    .action((entryId: string, o: { candidate?: number; bankFees?: boolean; json?: boolean }) => run(() => withApp(env, true, async ({ app }) => {
      const bookingDate = await bookingDateOf(app.get(EventSourcedRepository), entryId);
      const r = await app.get(CommandBus).execute<AcceptSuggestionCommand, { payment: RecordedPayment; position: number }>(new AcceptSuggestionCommand(
        entryId, { candidate: o.candidate, ...(o.bankFees ? { acceptBankFees: true } : {}) }, clerkContext(`accept ${entryId}`), bookingDate,
      ));
      receiptLines(io, o, r);
    })));
  cash.command('match <entryId>')
    .description('match a bank entry by hand (POST /bank-entries/:id/match)')
    .requiredOption('--customer <id>', 'the customer who paid')
    .option('--allocate <invoice=amount>', 'an invoice paid and how much (repeatable; none = all customer credit)', allocation, [])
    .option('--bank-fees <amount>', 'bank fees deducted from the entry, written off to 627 on its one invoice (the exact remainder)')
    .option('--json')
    .action((entryId: string, o: { customer: string; allocate: Array<{ invoiceId: string; amount: string }>; bankFees?: string; json?: boolean }) => run(() => withApp(env, true, async ({ app }) => {
      const bookingDate = await bookingDateOf(app.get(EventSourcedRepository), entryId);
      const r = await app.get(CommandBus).execute<MatchBankEntryCommand, { payment: RecordedPayment; position: number }>(new MatchBankEntryCommand(
        entryId, o.customer, o.allocate, clerkContext(`match ${entryId}`), bookingDate, o.bankFees,
      ));
      receiptLines(io, o, r);
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
