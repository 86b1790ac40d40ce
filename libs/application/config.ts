import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EMPTY_FX_RATES, parseFxRates, type FxRateTable } from '../domain/shared/fx-rates';
import { parseRateList } from '../domain/collections/late-charges';
import { isCurrency, parseAmount } from '../domain/shared/money';
import { validateLevels, type DunningLevel } from '../domain/collections/dunning';
import { DEFAULT_FLUSH_POLICY } from '../projection-runtime/apply-batch';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../resilience/retry';
import { frenchVatKey, isIban, type CompanyIdentity } from '../documents/identity';

/** Runtime configuration, read from the environment once and validated at start-up. */
export interface AppConfig {
  port: number;
  /** Address the API listens on: loopback unless AR_HOST opens it (0.0.0.0 in a container). */
  host: string;
  /** Largest request body accepted, in bytes (AR_MAX_BODY_BYTES); more is refused with 413. */
  maxBodyBytes: number;
  /** Browser origins allowed by CORS (AR_CORS_ORIGINS, comma-separated); empty = CORS closed. */
  corsOrigins: string[];
  dataDir: string;
  eventStore: 'sqlite' | 'eventstoredb';
  readStore: 'sqlite' | 'mongodb';
  eventStoreConnectionString: string | null;
  mongodbUri: string | null;
  mongodbDatabase: string;
  /** With the MongoDB read store, API keys live in this database (not the read models', which may be dropped). */
  mongodbKeysDatabase: string;
  /** How long a query waits for the projections to pass the log's head (read-your-writes). */
  readWaitMs: number;
  /** Run the projector inside the API process (default) or leave it to a worker. */
  projectorInProcess: boolean;
  /**
   * Term of the background-work lease (ADR 0063): of the instances running the projector in-process, the holder
   * projects and runs the process manager, the others stand by and take over within about 4/3 of it after the
   * holder stops renewing. 0: no lease (one instance only, the behaviour before ADR 0063).
   */
  leaseTtlMs: number;
  /** A rebuild keeps up to this many evolved documents in memory before writing them (ADR 0026). */
  rebuildFlushDocuments: number;
  /** ... and writes them (with its checkpoint) at least this often: what a killed rebuild can lose. */
  rebuildFlushMs: number;
  /** Credit policy of customers without their own: refuse over the limit, or hold the invoice for approval. */
  creditPolicy: 'reject' | 'hold_for_approval';
  /** The credit-hold policy places a hold when an invoice is more than this many days past due. */
  creditHoldDaysPastDue: number;
  /** `automatic`: the policy run releases its hold once nothing is past due beyond the limit; `manual`: a person does. */
  creditHoldRelease: 'automatic' | 'manual';
  /** Daily run of the credit-hold policy at this UTC time (`HH:MM`), or null when off. */
  creditHoldRunAt: string | null;
  /** ECB main refinancing rate entries added to the shipped table (late-payment reference rate). */
  ecbRates: Array<{ from: string; rateBp: number }>;
  /** Days per year for late-payment interest (actual/365 by default). */
  lateInterestDayBasis: number;
  /** Daily dunning run in the API process at this UTC time (`HH:MM`), or null when off. */
  dunningSchedule: string | null;
  /** Dunning levels; null = the default ladder. */
  dunningLevels: DunningLevel[] | null;
  /** `file` writes reminders to <dataDir>/outbox; `smtp` sends them with nodemailer. */
  outbox: 'file' | 'smtp';
  smtpUrl: string | null;
  smtpFrom: string;
  /** Cash application (ADR 0085): bank entries matched at or above this confidence (0–100) are applied without a clerk. */
  cashAutoConfidence: number;
  /** Largest shortfall (in the entry currency's minor units, 2 decimals assumed) suggested as paid less bank fees. */
  cashFeeTolerance: number;
  /**
   * Testing override of where reminders go (AR_DUNNING_TO, a mailbox or a pattern with {customerId}); null =
   * each customer's billing e-mails (master data). A customer without one gets its reminder recorded, not sent.
   */
  dunningTo: string | null;
  /** Years accounting entries are kept before a customer's personal data may be erased (AR_RETENTION_YEARS; Code de commerce L123-22: 10). */
  retentionYears: number;
  /** Data keys kept in memory (AR_DATA_KEY_CACHE), least recently used evicted; erased ones at once. */
  dataKeyCacheSize: number;
  /** How long a SQLite write waits for another connection's lock before failing as busy (both stores). */
  sqliteBusyTimeoutMs: number;
  /** Where the SQLite files' WAL checkpoints run: a worker thread per file (default), or inside the commits (ADR 0116). */
  sqliteCheckpoints: 'background' | 'inline';
  /** Events per page of the auditor's replay (AR_HISTORY_PAGE_SIZE, ADR 0109): what one replay holds at once. */
  historyPageSize: number;
  /** Backoff of failed workflow steps and projection batches, and attempts before a step is parked (ADR 0045). */
  stepRetry: RetryPolicy;
  /** `Retry-After` (seconds) of a 503 answered while a store is busy or unreachable. */
  retryAfterSeconds: number;
  /**
   * When VAT on invoices becomes due: `invoice` (débits, the default) or `receipt` (TVA sur les encaissements,
   * CGI art. 269-2-c, the option for services): recorded on each invoice issued while it is in force (ADR 0035).
   */
  vatDueOn: 'invoice' | 'receipt';
  /** Series for invoices dated before the last numbered one of INV (ADR 0049); null: such invoices are refused. */
  invoiceBackdatedSeries: string | null;
  /** The same for credit notes (series CN). */
  creditNoteBackdatedSeries: string | null;
  /** The company's SIREN (9 digits, Luhn): names the FEC file `<SIREN>FEC<YYYYMMDD>.txt`. */
  companySiren: string | null;
  /** A command's effective dates may be at most this many days after the day it was received (ADR 0031). */
  dateHorizonDays: number;
  /** AR_BOOTSTRAP_API_KEY: becomes the admin key (stored hashed) when no active admin key exists (ADR 0040). */
  bootstrapApiKey: string | null;
  /** OIDC / JWT bearer tokens, verified with jose; null when AR_OIDC_ISSUER is not set. */
  oidc: OidcConfig | null;
  /** Failed authentications allowed per address and per credential within the window, then 429. */
  authMaxFailures: number;
  authFailureWindowMs: number;
  /**
   * Four eyes above an amount, per currency (minor units): a write-off larger than this, or a credit-limit
   * increase larger than this, waits for a second principal (ADR 0042). Empty = no threshold (the default).
   */
  writeOffApprovalAbove: Readonly<Record<string, number>>;
  creditLimitIncreaseApprovalAbove: Readonly<Record<string, number>>;
  /** The company's accounting currency (AR_ACCOUNTING_CURRENCY, default EUR): the journal's amounts are in it (ADR 0052). */
  accountingCurrency: string;
  /** Exchange rates (units per 1 EUR) read from the file AR_FX_RATES at start-up; empty when unset (ADR 0052). */
  fxRates: FxRateTable;
  fxRatesFile: string | null;
  /** The seller printed on invoices, credit notes, statements and letters (AR_COMPANY_*); null when AR_COMPANY_NAME is unset. */
  company: CompanyIdentity | null;
  /** `GET /health/ready` answers 503 when a projection or the process manager has more unapplied events than this (ADR 0065). */
  readyMaxLagEvents: number;
  /** `fail`: a parked workflow step makes the instance not ready; `report` (default): ready shows the count only. */
  readyParkedSteps: 'report' | 'fail';
  /** How long one readiness check may take before it counts as down. */
  healthTimeoutMs: number;
  /** Level of the JSON logs (pino): access lines are `info`, 4xx without stack traces, 5xx `error` with them. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** `EUR:5000.00,USD:5000.00`: an amount per currency, in that currency's decimals. */
function thresholds(env: NodeJS.ProcessEnv, name: string, problems: string[]): Record<string, number> {
  const raw = env[name];
  const out: Record<string, number> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const m = /^\s*([A-Z]{3}):(\S+)\s*$/.exec(part);
    if (!m || !isCurrency(m[1])) {
      problems.push(`${name} must list CURRENCY:amount pairs such as EUR:5000.00,USD:5000.00, got "${part}"`);
      continue;
    }
    try {
      out[m[1]] = parseAmount(m[2], m[1], name);
    } catch (err) {
      problems.push(`${name}: ${m[1]} ${(err as Error).message}`);
    }
  }
  return out;
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its keys (fetched and cached by jose) … */
  jwksUrl: string | null;
  /** … or one static public key (PEM, SPKI). */
  publicKeyPem: string | null;
  /** The claim holding the role names (a string or a list), e.g. `roles` or `https://example.com/ar-roles`. */
  rolesClaim: string;
}

/** An API key: the `ark_` prefix and at least 32 random bytes in base64url (43 characters). */
export const API_KEY_FORMAT = /^ark_[A-Za-z0-9_-]{43,200}$/;

function oidc(env: NodeJS.ProcessEnv, problems: string[]): OidcConfig | null {
  const issuer = env.AR_OIDC_ISSUER || null;
  const audience = env.AR_OIDC_AUDIENCE || null;
  const jwksUrl = env.AR_OIDC_JWKS_URL || null;
  const publicKeyPem = env.AR_OIDC_PUBLIC_KEY ? env.AR_OIDC_PUBLIC_KEY.replace(/\\n/g, '\n') : null;
  if (!issuer && !audience && !jwksUrl && !publicKeyPem) return null;
  if (!issuer || !audience) problems.push('OIDC needs both AR_OIDC_ISSUER and AR_OIDC_AUDIENCE');
  if (!jwksUrl === !publicKeyPem) problems.push('OIDC needs exactly one of AR_OIDC_JWKS_URL and AR_OIDC_PUBLIC_KEY (PEM)');
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) problems.push(`AR_OIDC_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
  if (publicKeyPem && !publicKeyPem.includes('-----BEGIN PUBLIC KEY-----')) problems.push('AR_OIDC_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  return { issuer: issuer ?? '', audience: audience ?? '', jwksUrl, publicKeyPem, rolesClaim: env.AR_OIDC_ROLES_CLAIM || 'roles' };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name} must be one of ${allowed.join('|')}, got "${raw}"`);
  return fallback;
}

/** AR_LEASE_TTL_MS: 0 (no lease) or 300 ms to 10 minutes; default 15 s. */
function leaseTtl(env: NodeJS.ProcessEnv, problems: string[]): number {
  const ttl = integer(env, 'AR_LEASE_TTL_MS', 15_000, 0, 600_000, problems);
  if (ttl !== 0 && ttl < 300) problems.push(`AR_LEASE_TTL_MS must be 0 (no lease) or at least 300, got ${ttl}`);
  return ttl;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

/** `off`, or a UTC time `HH:MM`; default 06:00, and off under jest (NODE_ENV=test). */
function schedule(env: NodeJS.ProcessEnv, problems: string[]): string | null {
  const raw = env.AR_DUNNING_SCHEDULE ?? (env.NODE_ENV === 'test' ? 'off' : '06:00');
  if (raw === 'off') return null;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw)) {
    problems.push(`AR_DUNNING_SCHEDULE must be off or a UTC time HH:MM, got "${raw}"`);
    return null;
  }
  return raw;
}

function levels(env: NodeJS.ProcessEnv, problems: string[]): DunningLevel[] | null {
  if (!env.AR_DUNNING_LEVELS) return null;
  try {
    return [...validateLevels(JSON.parse(env.AR_DUNNING_LEVELS) as DunningLevel[])];
  } catch (err) {
    problems.push(`AR_DUNNING_LEVELS must be a JSON list of levels (see docs): ${(err as Error).message}`);
    return null;
  }
}

/** A series code for back-dated documents: 1–10 capital letters or digits, starting with a letter, not the primary one. */
function seriesCode(env: NodeJS.ProcessEnv, name: string, primary: string, problems: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (!/^[A-Z][A-Z0-9]{0,9}$/.test(raw) || raw === primary) {
    problems.push(`${name} must be 1–10 capital letters or digits starting with a letter, other than ${primary}, got "${raw}"`);
    return null;
  }
  return raw;
}

/** SIREN: 9 digits whose Luhn sum is a multiple of 10 (INSEE). */
export function isSiren(text: string): boolean {
  if (!/^\d{9}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(text[8 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

function siren(env: NodeJS.ProcessEnv, problems: string[]): string | null {
  const raw = (env.AR_COMPANY_SIREN ?? '').replace(/\s/g, '');
  if (raw === '') return null;
  if (!isSiren(raw)) {
    problems.push(`AR_COMPANY_SIREN must be a SIREN: 9 digits with a valid check digit, got "${env.AR_COMPANY_SIREN}"`);
    return null;
  }
  return raw;
}

const COMPANY_VARIABLES = ['AR_COMPANY_NAME', 'AR_COMPANY_LEGAL_FORM', 'AR_COMPANY_SHARE_CAPITAL', 'AR_COMPANY_RCS', 'AR_COMPANY_VAT_NUMBER', 'AR_COMPANY_ADDRESS', 'AR_COMPANY_POSTCODE', 'AR_COMPANY_CITY', 'AR_COMPANY_COUNTRY', 'AR_COMPANY_EMAIL', 'AR_COMPANY_IBAN', 'AR_COMPANY_BIC'];

/**
 * The seller's identity for documents. All or nothing: with AR_COMPANY_NAME, the SIREN, the VAT number and the
 * address are required (the invoice's mandatory mentions, L441-9 and CGI art. 242 nonies A); without it no
 * other AR_COMPANY_* variable but the SIREN (used by the FEC alone) may be set.
 */
function company(env: NodeJS.ProcessEnv, sirenValue: string | null, problems: string[]): CompanyIdentity | null {
  const get = (name: string) => (env[name] ?? '').trim();
  if (get('AR_COMPANY_NAME') === '') {
    const stray = COMPANY_VARIABLES.filter((n) => get(n) !== '');
    if (stray.length > 0) problems.push(`${stray.join(', ')} need AR_COMPANY_NAME (the seller printed on documents)`);
    return null;
  }
  for (const name of ['AR_COMPANY_SIREN', 'AR_COMPANY_VAT_NUMBER', 'AR_COMPANY_ADDRESS', 'AR_COMPANY_POSTCODE', 'AR_COMPANY_CITY']) {
    if (get(name) === '') problems.push(`AR_COMPANY_NAME is set: ${name} is required too (a mandatory mention on invoices)`);
  }
  const country = get('AR_COMPANY_COUNTRY') || 'FR';
  if (!/^[A-Z]{2}$/.test(country)) problems.push(`AR_COMPANY_COUNTRY must be an ISO 3166 alpha-2 code such as FR, got "${country}"`);
  const vat = get('AR_COMPANY_VAT_NUMBER').replace(/\s/g, '').toUpperCase();
  if (vat !== '' && !/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vat)) problems.push(`AR_COMPANY_VAT_NUMBER must be a VAT number such as FR40303265045, got "${vat}"`);
  else if (vat.startsWith('FR') && sirenValue !== null && vat !== `FR${frenchVatKey(sirenValue)}${sirenValue}`) {
    problems.push(`AR_COMPANY_VAT_NUMBER ${vat} is not the VAT number of SIREN ${sirenValue} (expected FR${frenchVatKey(sirenValue)}${sirenValue})`);
  }
  const iban = get('AR_COMPANY_IBAN').replace(/\s/g, '').toUpperCase();
  if (iban !== '' && !isIban(iban)) problems.push(`AR_COMPANY_IBAN must be an IBAN with valid check digits, got "${get('AR_COMPANY_IBAN')}"`);
  const bic = get('AR_COMPANY_BIC').toUpperCase();
  if (bic !== '' && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) problems.push(`AR_COMPANY_BIC must be a BIC of 8 or 11 characters, got "${bic}"`);
  const email = get('AR_COMPANY_EMAIL');
  if (email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problems.push(`AR_COMPANY_EMAIL must be an e-mail address, got "${email}"`);
  const or = (name: string) => get(name) || null;
  return {
    name: get('AR_COMPANY_NAME'), legalForm: or('AR_COMPANY_LEGAL_FORM'), shareCapital: or('AR_COMPANY_SHARE_CAPITAL'), rcs: or('AR_COMPANY_RCS'),
    siren: sirenValue ?? '', vatNumber: vat,
    // AR_COMPANY_ADDRESS: street lines separated by "|" ("12 rue de la Paix|Bâtiment B").
    address: { lines: get('AR_COMPANY_ADDRESS').split('|').map((l) => l.trim()).filter(Boolean), postcode: get('AR_COMPANY_POSTCODE'), city: get('AR_COMPANY_CITY'), country },
    email: email || null, iban: iban || null, bic: bic || null,
  };
}

function rateList(env: NodeJS.ProcessEnv, problems: string[]): Array<{ from: string; rateBp: number }> {
  try {
    return parseRateList(env.AR_ECB_RATES ?? '');
  } catch (err) {
    problems.push(`AR_ECB_RATES: ${(err as Error).message}`);
    return [];
  }
}

function accountingCurrency(env: NodeJS.ProcessEnv, problems: string[]): string {
  const raw = env.AR_ACCOUNTING_CURRENCY;
  if (raw === undefined || raw === '') return 'EUR';
  if (!isCurrency(raw)) {
    problems.push(`AR_ACCOUNTING_CURRENCY must be an ISO 4217 currency the engine knows (EUR, USD, GBP, …), got "${raw}"`);
    return 'EUR';
  }
  return raw;
}

/** The rates file is read and checked at start-up: a bad line stops the process rather than a later export. */
function fxRates(env: NodeJS.ProcessEnv, problems: string[]): FxRateTable {
  const path = env.AR_FX_RATES;
  if (path === undefined || path === '') return EMPTY_FX_RATES;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`AR_FX_RATES: cannot read ${path}: ${(err as Error).message}`);
    return EMPTY_FX_RATES;
  }
  try {
    return parseFxRates(text, path);
  } catch (err) {
    problems.push(`AR_FX_RATES: ${(err as Error).message}`);
    return EMPTY_FX_RATES;
  }
}

/** A host name or an IPv4/IPv6 literal: nothing that could smuggle a path or a port. */
function host(env: NodeJS.ProcessEnv, problems: string[]): string {
  const raw = env.AR_HOST;
  if (raw === undefined || raw === '') return '127.0.0.1';
  if (!/^([A-Za-z0-9][A-Za-z0-9.-]{0,252}|[0-9A-Fa-f:.]{2,45})$/.test(raw)) {
    problems.push(`AR_HOST must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0, got "${raw}"`);
    return '127.0.0.1';
  }
  return raw;
}

/** `https://app.example.com, http://localhost:5173` → exact origins; `*` is refused (name each origin). */
function origins(env: NodeJS.ProcessEnv, problems: string[]): string[] {
  const raw = (env.AR_CORS_ORIGINS ?? '').trim();
  if (raw === '') return [];
  const list = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const o of list) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o) && !/^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(o)) {
      problems.push(`AR_CORS_ORIGINS must list origins such as https://app.example.com (scheme, host, optional port; no path, no "*"), got "${o}"`);
    }
  }
  return list.map((o) => o.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const eventStore = choice(env, 'AR_EVENT_STORE', ['sqlite', 'eventstoredb'] as const, 'sqlite', problems);
  const readStore = choice(env, 'AR_READ_STORE', ['sqlite', 'mongodb'] as const, 'sqlite', problems);
  const esdb = env.EVENTSTORE_CONNECTION_STRING || null;
  const mongo = env.MONGODB_URI || null;
  if (eventStore === 'eventstoredb' && !esdb) problems.push('AR_EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)');
  if (esdb && !/^(esdb|kurrentdb)(\+discover)?:\/\//i.test(esdb.trim())) {
    problems.push(`EVENTSTORE_CONNECTION_STRING must start with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://, got "${esdb}"`);
  }
  if (readStore === 'mongodb' && !mongo) problems.push('AR_READ_STORE=mongodb needs MONGODB_URI (e.g. mongodb://localhost:27017)');
  if (mongo && !/^mongodb(\+srv)?:\/\//.test(mongo)) problems.push(`MONGODB_URI must start with mongodb:// or mongodb+srv://, got "${mongo}"`);
  const config: AppConfig = {
    port: integer(env, 'PORT', 3000, 0, 65535, problems),
    host: host(env, problems),
    maxBodyBytes: integer(env, 'AR_MAX_BODY_BYTES', 1_048_576, 1024, 104_857_600, problems),
    corsOrigins: origins(env, problems),
    dataDir: resolve(env.AR_DATA_DIR || './data'),
    eventStore,
    readStore,
    eventStoreConnectionString: esdb,
    mongodbUri: mongo,
    mongodbDatabase: env.MONGODB_DATABASE || 'ar',
    mongodbKeysDatabase: env.MONGODB_KEYS_DATABASE || `${env.MONGODB_DATABASE || 'ar'}_keys`,
    readWaitMs: integer(env, 'AR_READ_WAIT_MS', 5000, 0, 60_000, problems),
    projectorInProcess: choice(env, 'AR_PROJECTOR', ['in-process', 'off'] as const, 'in-process', problems) === 'in-process',
    leaseTtlMs: leaseTtl(env, problems),
    rebuildFlushDocuments: integer(env, 'AR_REBUILD_FLUSH_DOCUMENTS', DEFAULT_FLUSH_POLICY.maxDocuments, 1, 10_000_000, problems),
    rebuildFlushMs: integer(env, 'AR_REBUILD_FLUSH_MS', DEFAULT_FLUSH_POLICY.maxMs, 0, 3_600_000, problems),
    creditPolicy: choice(env, 'AR_CREDIT_POLICY', ['reject', 'hold_for_approval'] as const, 'reject', problems),
    creditHoldDaysPastDue: integer(env, 'AR_CREDIT_HOLD_DAYS_PAST_DUE', 30, 0, 3650, problems),
    creditHoldRelease: choice(env, 'AR_CREDIT_HOLD_RELEASE', ['automatic', 'manual'] as const, 'automatic', problems),
    creditHoldRunAt: null,
    ecbRates: rateList(env, problems),
    lateInterestDayBasis: Number(choice(env, 'AR_LATE_INTEREST_DAY_BASIS', ['365', '360'] as const, '365', problems)),
    dunningSchedule: schedule(env, problems),
    dunningLevels: levels(env, problems),
    outbox: choice(env, 'AR_OUTBOX', ['file', 'smtp'] as const, 'file', problems),
    smtpUrl: env.AR_SMTP_URL || null,
    smtpFrom: env.AR_SMTP_FROM || 'accounts-receivable@localhost',
    cashAutoConfidence: integer(env, 'AR_CASH_AUTO_CONFIDENCE', 90, 50, 100, problems),
    cashFeeTolerance: integer(env, 'AR_CASH_FEE_TOLERANCE', 1500, 0, 1_000_000, problems),
    dunningTo: env.AR_DUNNING_TO || null,
    retentionYears: integer(env, 'AR_RETENTION_YEARS', 10, 0, 100, problems),
    dataKeyCacheSize: integer(env, 'AR_DATA_KEY_CACHE', 10_000, 1, 10_000_000, problems),
    sqliteBusyTimeoutMs: integer(env, 'AR_SQLITE_BUSY_TIMEOUT_MS', 5000, 0, 600_000, problems),
    sqliteCheckpoints: choice(env, 'AR_SQLITE_CHECKPOINTS', ['background', 'inline'] as const, 'background', problems),
    historyPageSize: integer(env, 'AR_HISTORY_PAGE_SIZE', 1000, 1, 100_000, problems),
    stepRetry: {
      baseDelayMs: integer(env, 'AR_STEP_RETRY_BASE_MS', DEFAULT_RETRY_POLICY.baseDelayMs, 1, 60_000, problems),
      maxDelayMs: integer(env, 'AR_STEP_RETRY_MAX_DELAY_MS', DEFAULT_RETRY_POLICY.maxDelayMs, 1, 3_600_000, problems),
      maxAttempts: integer(env, 'AR_STEP_MAX_ATTEMPTS', DEFAULT_RETRY_POLICY.maxAttempts, 1, 1000, problems),
    },
    retryAfterSeconds: integer(env, 'AR_RETRY_AFTER_SECONDS', 2, 1, 3600, problems),
    vatDueOn: choice(env, 'AR_VAT_DUE_ON', ['invoice', 'receipt'] as const, 'invoice', problems),
    invoiceBackdatedSeries: seriesCode(env, 'AR_INVOICE_BACKDATED_SERIES', 'INV', problems),
    creditNoteBackdatedSeries: seriesCode(env, 'AR_CREDIT_NOTE_BACKDATED_SERIES', 'CN', problems),
    companySiren: siren(env, problems),
    company: null,
    // One year ahead, a leap year included.
    dateHorizonDays: integer(env, 'AR_DATE_HORIZON_DAYS', 366, 0, 36_600, problems),
    bootstrapApiKey: env.AR_BOOTSTRAP_API_KEY || null,
    oidc: oidc(env, problems),
    authMaxFailures: integer(env, 'AR_AUTH_MAX_FAILURES', 10, 1, 1_000_000, problems),
    authFailureWindowMs: integer(env, 'AR_AUTH_FAILURE_WINDOW_SECONDS', 300, 1, 86_400, problems) * 1000,
    writeOffApprovalAbove: thresholds(env, 'AR_WRITE_OFF_APPROVAL_ABOVE', problems),
    creditLimitIncreaseApprovalAbove: thresholds(env, 'AR_CREDIT_LIMIT_INCREASE_APPROVAL_ABOVE', problems),
    accountingCurrency: accountingCurrency(env, problems),
    fxRates: fxRates(env, problems),
    fxRatesFile: env.AR_FX_RATES || null,
    readyMaxLagEvents: integer(env, 'AR_READY_MAX_LAG_EVENTS', 1000, 0, 10_000, problems),
    readyParkedSteps: choice(env, 'AR_READY_PARKED_STEPS', ['report', 'fail'] as const, 'report', problems),
    healthTimeoutMs: integer(env, 'AR_HEALTH_TIMEOUT_MS', 2000, 1, 60_000, problems),
    logLevel: choice(env, 'AR_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info', problems),
  };
  config.company = company(env, config.companySiren, problems);
  if (config.stepRetry.maxDelayMs < config.stepRetry.baseDelayMs) {
    problems.push(`AR_STEP_RETRY_MAX_DELAY_MS (${config.stepRetry.maxDelayMs}) must not be below AR_STEP_RETRY_BASE_MS (${config.stepRetry.baseDelayMs})`);
  }
  if (config.bootstrapApiKey !== null && !API_KEY_FORMAT.test(config.bootstrapApiKey)) {
    problems.push('AR_BOOTSTRAP_API_KEY must be "ark_" and at least 43 base64url characters (32 random bytes), e.g. from `ar keys generate`');
  }
  const holdSchedule = env.AR_CREDIT_HOLD_SCHEDULE || '02:00';
  if (holdSchedule !== 'off' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(holdSchedule)) problems.push(`AR_CREDIT_HOLD_SCHEDULE must be off or a UTC time HH:MM, got "${holdSchedule}"`);
  config.creditHoldRunAt = holdSchedule === 'off' ? null : holdSchedule;
  if (config.outbox === 'smtp' && !config.smtpUrl) problems.push('AR_OUTBOX=smtp needs AR_SMTP_URL (e.g. smtp://user:pass@mail.example.com:587)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
