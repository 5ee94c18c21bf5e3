import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

/** A billing period: a calendar month in UTC. */
export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
/** An amount: a decimal ≥ 0 with at most six places, as a string (exact). */
export const AMOUNT = /^\d{1,12}(\.\d{1,6})?$/;
const AMOUNT_MESSAGE = (field: string) => `${field} must be a decimal ≥ 0 with at most 6 decimals, as a string`;

export class PeriodV1 {
  @ApiProperty({ example: '2026-11', description: 'A calendar month (UTC), YYYY-MM' })
  @IsString()
  @Matches(PERIOD, { message: 'period must be a month as YYYY-MM' })
  period!: string;
}

export class PlanPricesV1 {
  @ApiProperty({ example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency!: string;

  @ApiProperty({ example: '29.00' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE('monthlyFee') })
  monthlyFee!: string;

  @ApiProperty({ example: '0.002' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE('containerHour') })
  containerHour!: string;

  @ApiProperty({ example: '0.018' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE('vcpuHour') })
  vcpuHour!: string;

  @ApiProperty({ example: '0.004', description: 'Per GB (1024 MB) of memory reserved, per hour' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE('memoryGbHour') })
  memoryGbHour!: string;

  @ApiProperty({ example: '0.10' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE('volumeGbMonth') })
  volumeGbMonth!: string;

  @ApiProperty({ example: '0.05' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE('imageStorageGbMonth') })
  imageStorageGbMonth!: string;
}

export class DefinePricesV1 {
  @ApiProperty({ example: 'pro' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'planId must be a plan id (lower-case letters, digits, -)' })
  @MaxLength(40)
  planId!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'When the version takes effect; after the last one' })
  @IsISO8601({ strict: true }, { message: 'effectiveFrom must be a time (ISO 8601)' })
  effectiveFrom!: string;

  @ApiProperty({ type: PlanPricesV1 })
  @ValidateNested()
  @Type(() => PlanPricesV1)
  prices!: PlanPricesV1;
}
