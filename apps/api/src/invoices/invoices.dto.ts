import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { AMOUNT, AMOUNT_MESSAGE, DATE, DATE_MESSAGE, DECIMAL, ID, ID_MESSAGE } from '../http/dto-rules';

export class InvoiceLineDto {
  @ApiProperty({ example: 'Consulting, November' })
  @IsString() @IsNotEmpty() @MaxLength(1000)
  description!: string;

  @ApiProperty({ example: '3', description: 'Decimal string, up to 4 decimals' })
  @IsString() @Matches(DECIMAL, { message: '$property must be a decimal string such as "2.5"' })
  quantity!: string;

  @ApiProperty({ example: '1200.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  unitPrice!: string;

  @ApiProperty({ example: '0.20', description: 'Decimal fraction 0 to 1, up to 4 decimals' })
  @IsString() @Matches(DECIMAL, { message: '$property must be a decimal fraction string such as "0.20"' })
  taxRate!: string;
}

export class IssueInvoiceDto {
  @ApiPropertyOptional({ example: 'inv-2026-001' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'acme' })
  @IsString() @Matches(ID, { message: ID_MESSAGE })
  customerId!: string;

  @ApiProperty({ example: '2026-11-23' })
  @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  issueDate!: string;

  @ApiProperty({ type: [InvoiceLineDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => InvoiceLineDto)
  lines!: InvoiceLineDto[];

  @ApiPropertyOptional({ example: 'end of month + 45', description: 'This invoice’s own payment terms (same forms as PUT /customers/:id/payment-terms); default: the customer’s' })
  @IsOptional() @Allow()
  terms?: unknown;

  @ApiPropertyOptional({ default: false, description: 'Override terms beyond the legal cap were expressly agreed (recorded)' })
  @IsOptional() @IsBoolean()
  termsAgreedBeyondCap?: boolean;
}

export class ApproveInvoiceDto {
  @ApiProperty({ example: 'Parent company guarantee received' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-11-24', description: 'Date of issue; default: the date submitted; never earlier' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  issueDate?: string;
}

export class RejectInvoiceDto {
  @ApiProperty({ example: 'Customer in receivership' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}
