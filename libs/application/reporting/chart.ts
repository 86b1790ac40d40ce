import { readFileSync } from 'node:fs';
import { chartFromJson, FRENCH_CHART, type ChartOfAccounts } from '../../../projections';
import { invalid } from '../../domain/shared/errors';

/**
 * The chart of accounts of journal exports: the French one, overridden by a JSON file given by option,
 * else by `AR_JOURNAL_ACCOUNTS`. A missing or malformed file is refused (never a silent fallback).
 */
export function loadChartOfAccounts(file?: string, env: NodeJS.ProcessEnv = process.env): ChartOfAccounts {
  const path = file || env.AR_JOURNAL_ACCOUNTS || '';
  if (path === '') return FRENCH_CHART;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw invalid('ACCOUNT_MAPPING_INVALID', `Cannot read the account mapping ${path}: ${(e as Error).message}`, 'accounts');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid('ACCOUNT_MAPPING_INVALID', `${path} is not JSON: ${(e as Error).message}`, 'accounts');
  }
  return chartFromJson(json, path);
}
