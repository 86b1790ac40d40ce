import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AMOUNT, AMOUNT_MESSAGE, DATE, DATE_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';

export class ReallocatePaymentDto {
  @ApiProperty({ example: 'inv-2026-001', description: 'Invoice the payment put the amount on' })
  @IsString() @Matches(ID, { message: ID_MESSAGE })
  fromInvoiceId!: string;

  @ApiPropertyOptional({ example: 'inv-2026-002', description: 'Invoice of the same customer to move it to; absent → back to customer credit' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  toInvoiceId?: string;

  @ApiProperty({ example: '300.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Date the move takes effect; default: as of the allocation it undoes (the receipt, Code civil art. 1342-10), not before the target invoice was issued' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

export class ReversePaymentDto {
  @ApiProperty({ example: 'bounced', description: 'Why: bounced, charge-back, …' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Date of the reversal (on or after receipt); default today (UTC)' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

export class ApplyCreditDto {
  @ApiPropertyOptional({ example: 'inv-2026-002', description: 'Invoice to settle; absent → oldest due first' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  invoiceId?: string;

  @ApiPropertyOptional({ example: '200.00', description: 'Absent → as much as the credit and the invoice(s) allow' })
  @IsOptional() @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount?: string;

  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

export class RefundDto {
  @ApiPropertyOptional({ example: 'ref-001' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: '150.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;

  @ApiProperty({ example: 'bank_transfer' })
  @IsString() @IsNotEmpty() @MaxLength(50)
  method!: string;

  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

export class WriteOffDto {
  @ApiPropertyOptional({ example: '120.00', description: 'Absent → the whole outstanding' })
  @IsOptional() @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount?: string;

  @ApiProperty({ example: 'Customer in liquidation' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ example: 'cfo.marie', description: 'Optional: the approver is the authenticated principal; if named, it must be that principal (422 APPROVER_NOT_PRINCIPAL)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  approvedBy?: string;

  @ApiPropertyOptional({ example: '2026-06-30' })
  @IsOptional() @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  on?: string;
}

export class WriteOffDecisionDto {
  @ApiProperty({ example: 'Amount confirmed with the liquidator' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}
