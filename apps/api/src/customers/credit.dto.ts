import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DATE, DATE_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';

/** A decimal string that may be negative (working capital, retained earnings, EBIT, equity can be). */
export const SIGNED_AMOUNT = /^-?\d{1,15}(\.\d{1,4})?$/;
const SIGNED_MESSAGE = '$property must be a decimal string such as "-1200.50"';

export class ReasonDto {
  @ApiProperty({ example: 'Two invoices 60 days overdue; awaiting bank guarantee' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

export class ChangePaymentTermsDto {
  @ApiProperty({
    description: 'A template ("net 30", "end of month + 45", "45 days end of month", "2/10 net 30") or an object: '
      + '{type:"net"|"end_of_month", days}, {type:"early_discount", discountPercent:"2", discountDays:10, netDays:30}, '
      + '{type:"instalments", schedule:[{percent:"50", days:30}, {percent:"50", days:60}]}',
    example: '2/10 net 30',
  })
  @Allow()
  terms!: unknown;

  @ApiProperty({ example: 'Framework agreement 2026' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ default: false, description: 'Terms beyond the legal cap of the customer’s country were expressly agreed (recorded)' })
  @IsOptional() @IsBoolean()
  agreedBeyondCap?: boolean;
}

export class ChangeCreditPolicyDto {
  @ApiProperty({ enum: ['reject', 'hold_for_approval', 'default'], description: '`default` follows the global AR_CREDIT_POLICY' })
  @IsIn(['reject', 'hold_for_approval', 'default'])
  policy!: 'reject' | 'hold_for_approval' | 'default';

  @ApiProperty({ example: 'Key account: large orders reviewed, not refused' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

export class FinancialsDto {
  @ApiPropertyOptional({ example: '200000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  workingCapital?: string;
  @ApiPropertyOptional({ example: '300000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  retainedEarnings?: string;
  @ApiPropertyOptional({ example: '100000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  ebit?: string;
  @ApiPropertyOptional({ example: '500000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  bookEquity?: string;
  @ApiPropertyOptional({ example: '1000000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  totalAssets?: string;
  @ApiPropertyOptional({ example: '500000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  totalLiabilities?: string;
  @ApiPropertyOptional({ example: '5000000.00' }) @IsOptional() @IsString() @Matches(SIGNED_AMOUNT, { message: SIGNED_MESSAGE })
  annualRevenue?: string;
}

export class ExternalRatingDto {
  @ApiProperty({ example: 'Banque de France' }) @IsString() @IsNotEmpty() @MaxLength(100)
  agency!: string;
  @ApiProperty({ enum: ['A', 'B', 'C', 'D', 'E'], description: 'The agency’s grade mapped to A (best) – E' }) @IsIn(['A', 'B', 'C', 'D', 'E'])
  grade!: string;
}

export class CreditAssessmentDto {
  @ApiPropertyOptional({ example: 'as-2026-06', description: 'Derived from Idempotency-Key or random when absent' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiPropertyOptional({ example: '2026-06-30', description: 'Default: today (UTC); payment behaviour is read for the 12 months before it' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  assessedOn?: string;

  @ApiPropertyOptional({ type: FinancialsDto, description: 'Any field may be absent: the model says what it could not compute' })
  @IsOptional() @ValidateNested() @Type(() => FinancialsDto)
  financials?: FinancialsDto;

  @ApiPropertyOptional({ example: 12 })
  @IsOptional() @IsInt() @Min(0) @Max(1000)
  yearsInBusiness?: number;

  @ApiPropertyOptional({ type: ExternalRatingDto })
  @IsOptional() @ValidateNested() @Type(() => ExternalRatingDto)
  externalRating?: ExternalRatingDto;
}

export class HoldPolicyRunDto {
  @ApiPropertyOptional({ example: '2026-06-30', description: 'Default: today (UTC)' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  asOf?: string;
}
