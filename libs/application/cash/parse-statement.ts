import { DomainError } from '../../domain/shared/errors';
import { exponentOf } from '../../domain/shared/money';
import { parseCamt053 } from './camt053';
import { parseCfonb120 } from './cfonb120';
import { parseCsvStatement, type CsvMapping } from './csv-statement';
import type { ParsedStatement } from './statement';

/** The text of a statement file: UTF-8, or Latin-1 when the media type or the XML declaration says so (many French bank exports are). */
function decode(bytes: Buffer, contentType: string): string {
  const charset = /charset=("?)([^";]+)\1/i.exec(contentType)?.[2]?.toLowerCase();
  const declared = /^<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1]?.toLowerCase();
  const latin1 = ['iso-8859-1', 'latin1', 'iso-8859-15', 'windows-1252'];
  return latin1.includes(charset ?? declared ?? '') ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Parses a statement file by its media type: camt.053 (XML), CFONB 120 (text/plain), CSV (with a saved mapping). */
export function parseStatementFile(bytes: Buffer, contentType: string, mapping?: CsvMapping): ParsedStatement & { skipped?: number } {
  const media = contentType.split(';')[0].trim().toLowerCase();
  const text = decode(bytes, contentType);
  if (media === 'application/xml' || media === 'text/xml') return parseCamt053(text);
  if (media === 'text/plain') return parseCfonb120(text, exponentOf);
  if (media === 'text/csv') {
    if (!mapping) throw new DomainError('CSV_MAPPING_REQUIRED', 'A CSV statement is read through a saved mapping: add ?mapping=NAME (PUT /bank-statements/csv-mappings/NAME first)', { field: 'mapping' }, 'invalid');
    return parseCsvStatement(text, mapping);
  }
  throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'A statement is application/xml (camt.053), text/plain (CFONB 120) or text/csv', { field: 'Content-Type', contentType }, 'invalid');
}
