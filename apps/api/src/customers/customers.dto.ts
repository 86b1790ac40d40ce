import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AMOUNT, AMOUNT_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';

export class RegisterCustomerDto {
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
