import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { AMOUNT, AMOUNT_MESSAGE, DATE, DATE_MESSAGE, ID, ID_MESSAGE } from '../http/dto-rules';

export class AllocationDto {
  @ApiProperty({ example: 'inv-2026-001' })
  @IsString() @Matches(ID, { message: ID_MESSAGE })
  invoiceId!: string;

  @ApiProperty({ example: '500.00' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;
}

export class RecordPaymentDto {
  @ApiPropertyOptional({ example: 'pay-001' })
  @IsOptional() @IsString() @Matches(ID, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'acme' })
  @IsString() @Matches(ID, { message: ID_MESSAGE })
  customerId!: string;

  @ApiProperty({ example: '1440.00', description: 'In the customer’s currency' })
  @IsString() @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'Currency of the money received; refused unless it is the customer’s (no silent FX)' })
  @IsOptional() @IsString() @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as EUR' })
  currency?: string;

  @ApiProperty({ example: '2026-12-01' })
  @IsString() @Matches(DATE, { message: DATE_MESSAGE })
  receivedOn!: string;

  @ApiProperty({ example: 'bank_transfer' })
  @IsString() @IsNotEmpty() @MaxLength(50)
  method!: string;

  @ApiPropertyOptional({ example: 'INV-000001', description: 'Matched against invoice numbers when no allocations are given' })
  @IsOptional() @IsString() @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ type: [AllocationDto], description: 'Explicit lettrage; otherwise reference match, then oldest due date first' })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => AllocationDto)
  allocations?: AllocationDto[];
}
