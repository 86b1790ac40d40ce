import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AMOUNT, AMOUNT_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';

/**
 * The customer's master data. Shapes and check digits are validated by the domain (the error names the field:
 * `billingEmails[1]`, `address.postalCode`, `vatNumber`, …), so these properties are only declared here.
 */
export class CustomerDetailsDto {
  @ApiPropertyOptional({ enum: ['fr', 'en'], description: 'Letters and documents; default from the country (FR → fr, else en)' })
  @Allow() language?: unknown;

  @ApiPropertyOptional({ type: [String], example: ['billing@acme.example'], description: 'Billing contacts (at most 10); reminders go to them' })
  @Allow() billingEmails?: unknown;

  @ApiPropertyOptional({ example: '+33 1 23 45 67 89', nullable: true, description: 'International format; stored as E.164 (+33123456789)' })
  @Allow() phone?: unknown;

  @ApiPropertyOptional({ example: { lines: ['12 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' }, nullable: true, description: '1–4 lines, postal code (5 digits in FR), city, ISO country' })
  @Allow() address?: unknown;

  @ApiPropertyOptional({ example: '732829320', nullable: true, description: 'SIREN: 9 digits with a Luhn check digit' })
  @Allow() siren?: unknown;

  @ApiPropertyOptional({ example: '73282932000074', nullable: true, description: 'SIRET: 14 digits (SIREN + NIC) with a Luhn check digit; starts with the SIREN' })
  @Allow() siret?: unknown;

  @ApiPropertyOptional({ example: 'FR44732829320', nullable: true, description: 'EU VAT number: the member state\'s format; FR key = (12 + 3 × (SIREN mod 97)) mod 97' })
  @Allow() vatNumber?: unknown;

  @ApiPropertyOptional({ enum: ['transfer', 'direct_debit', 'card', 'cheque', 'cash'], nullable: true })
  @Allow() defaultPaymentMethod?: unknown;

  @ApiPropertyOptional({ example: 'Claire Martin', nullable: true, description: 'Who manages the account on our side' })
  @Allow() accountManager?: unknown;
}

export const DETAIL_FIELDS = ['language', 'billingEmails', 'phone', 'address', 'siren', 'siret', 'vatNumber', 'defaultPaymentMethod', 'accountManager'] as const;

/** The detail fields present in a body (undefined ones dropped). */
export function detailsOf(dto: CustomerDetailsDto & { name?: unknown }, withName = false): Record<string, unknown> {
  const fields: readonly string[] = withName ? ['name', ...DETAIL_FIELDS] : DETAIL_FIELDS;
  return Object.fromEntries(fields.filter((k) => (dto as Record<string, unknown>)[k] !== undefined).map((k) => [k, (dto as Record<string, unknown>)[k]]));
}

export class ChangeCustomerDetailsDto extends CustomerDetailsDto {
  @ApiPropertyOptional({ example: 'ACME France SAS' })
  @Allow() name?: unknown;

  @ApiProperty({ example: 'New billing contact, letter of 2026-11-30' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

export class RegisterCustomerDto extends CustomerDetailsDto {
  @ApiPropertyOptional({ example: 'acme', description: 'Client-chosen id; derived from Idempotency-Key or random when absent' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'ACME SAS' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @IsString() @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as EUR' })
  currency!: string;

  @ApiProperty({ example: '10000.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  creditLimit!: string;

  @ApiPropertyOptional({ example: 30, default: 30, description: 'Net N days from the issue date' })
  @IsOptional() @IsInt() @Min(0) @Max(365)
  paymentTermsDays?: number;

  @ApiPropertyOptional({ example: 'FR', default: 'FR', description: 'ISO 3166-1 alpha-2; sets the legal cap on payment terms' })
  @IsOptional() @IsString()
  country?: string;

  @ApiPropertyOptional({ enum: ['reject', 'hold_for_approval'], description: 'Over the limit at invoicing; default: the global AR_CREDIT_POLICY' })
  @IsOptional() @IsIn(['reject', 'hold_for_approval'])
  creditPolicy?: 'reject' | 'hold_for_approval';

  @ApiPropertyOptional({ default: false, description: 'paymentTermsDays beyond the legal cap were expressly agreed (recorded)' })
  @IsOptional() @IsBoolean()
  termsAgreedBeyondCap?: boolean;
}

export class ChangeCreditLimitDto {
  @ApiProperty({ example: '15000.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;

  @ApiProperty({ example: 'Annual review: strong payment history' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ example: 'as-2026-06', description: 'The assessment this change relies on (recorded with its rating and recommended limit)' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  assessmentId?: string;
}
