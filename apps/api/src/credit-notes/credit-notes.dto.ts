import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { AMOUNT, AMOUNT_MESSAGE, DATE, DATE_MESSAGE, DECIMAL, ID, ID_MESSAGE } from '../http/dto-rules';

export class CreditNoteLineDto {
  @ApiProperty({ example: 'Returned goods' })
  @IsString() @IsNotEmpty() @MaxLength(1000)
  description!: string;

  @ApiProperty({ example: '1' })
  @IsString() @Matches(DECIMAL, { message: '$property must be a decimal string' })
  quantity!: string;

  @ApiProperty({ example: '100.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  unitPrice!: string;

  @ApiProperty({ example: '0.20' })
  @IsString() @Matches(DECIMAL, { message: '$property must be a decimal string' })
  taxRate!: string;
}

export class IssueCreditNoteDto {
  @ApiPropertyOptional({ example: 'cn-001' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'acme' })
  @IsString() @Matches(ID, { message: ID_MESSAGE })
  customerId!: string;

  @ApiPropertyOptional({ example: 'inv-2026-001', description: 'Absent → standalone: the whole note becomes customer credit' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  invoiceId?: string;

  @ApiProperty({ example: '2026-03-01' })
  @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  issueDate!: string;

  @ApiProperty({ example: 'Goods returned' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ type: [CreditNoteLineDto], description: 'Either lines or amount' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => CreditNoteLineDto)
  lines?: CreditNoteLineDto[];

  @ApiPropertyOptional({ example: '120.00', description: 'Gross amount (tax included); either lines or amount' })
  @IsOptional() @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount?: string;

  @ApiPropertyOptional({ example: '0.20', description: 'Tax rate included in `amount`; absent against an invoice = the invoice’s tax share' })
  @IsOptional() @IsString() @Matches(DECIMAL, { message: '$property must be a decimal string' })
  taxRate?: string;
}
