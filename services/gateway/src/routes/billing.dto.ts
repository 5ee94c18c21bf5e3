import {
  PlanPricesV1,
  type BilledDayView,
  type BilledHourView,
  type CurrencyTotalView,
  type CurrentBillView,
  type FinanceInvoicesView,
  type FinanceUsageView,
  type InvoiceLineView,
  type InvoiceView,
  type PriceBookView,
  type PriceVersionView,
  type ReconciliationView,
  type ReratedInvoiceView,
  type ReratingView,
  type TenantUsageView,
  type UsageHourView,
  type UsageQuantities,
  type UsageUnit,
  type UsageView,
} from '@caas/contracts';
import { ApiProperty } from '@nestjs/swagger';

/*
 * Swagger classes for the billing views (interfaces in the contract; `implements`
 * keeps these in step). Amounts and quantities are decimal strings: exact, never floats.
 */

// A record over the union, so that a unit added to the contract fails to compile here.
const USAGE_UNITS = Object.keys({
  monthlyFee: true,
  container: true,
  vcpu: true,
  memory: true,
  volume: true,
  imageStorage: true,
} satisfies Record<UsageUnit, true>);

const PERIOD_EXAMPLE = '2026-11';
const amount = (description?: string) => ApiProperty({ example: '12.345678', description });

export class InvoiceLineViewDto implements InvoiceLineView {
  @ApiProperty({ enum: USAGE_UNITS }) unit!: UsageUnit;
  @ApiProperty({ example: 'pro' }) planId!: string;
  @ApiProperty({ example: 1 }) priceVersion!: number;
  @ApiProperty({
    example: '720',
    description: 'In the price’s unit: hours on the plan (fee), container-hours, vCPU-hours, GB-hours, GB-months',
  })
  quantity!: string;
  @amount() unitPrice!: string;
  @amount() amount!: string;
}

export class InvoiceViewDto implements InvoiceView {
  @ApiProperty() invoiceId!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: PERIOD_EXAMPLE }) period!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [InvoiceLineViewDto] }) lines!: InvoiceLineViewDto[];
  @amount() total!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class BilledHourViewDto implements BilledHourView {
  @ApiProperty({ format: 'date-time' }) hour!: string;
  @ApiProperty({ example: 'pro' }) planId!: string;
  @amount() amount!: string;
}

export class BilledDayViewDto implements BilledDayView {
  @ApiProperty({ example: '2026-11-03' }) day!: string;
  @amount() amount!: string;
}

export class CurrentBillViewDto implements CurrentBillView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: PERIOD_EXAMPLE }) period!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Every hour before it is counted' })
  closedThrough!: string | null;
  @ApiProperty({ type: [BilledHourViewDto] }) hours!: BilledHourViewDto[];
  @ApiProperty({ type: [BilledDayViewDto] }) days!: BilledDayViewDto[];
  @ApiProperty({ type: [InvoiceLineViewDto] }) lines!: InvoiceLineViewDto[];
  @amount('Of the closed hours so far') total!: string;
}

export class UsageQuantitiesDto implements UsageQuantities {
  @ApiProperty({ example: '720' }) containerHours!: string;
  @ApiProperty({ example: '360' }) vcpuHours!: string;
  @ApiProperty({ example: '720', description: 'GB (1024 MB) of memory reserved × hours' }) memoryGbHours!: string;
  @ApiProperty({ example: '10' }) volumeGbMonths!: string;
  @ApiProperty({ example: '0.5' }) imageStorageGbMonths!: string;
}

export class UsageHourViewDto extends UsageQuantitiesDto implements UsageHourView {
  @ApiProperty({ format: 'date-time' }) hour!: string;
  @ApiProperty({ example: 'pro' }) planId!: string;
}

export class UsageViewDto implements UsageView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: PERIOD_EXAMPLE }) period!: string;
  @ApiProperty({ type: [UsageHourViewDto] }) hours!: UsageHourViewDto[];
  @ApiProperty({ type: UsageQuantitiesDto }) total!: UsageQuantitiesDto;
}

export class CurrencyTotalViewDto implements CurrencyTotalView {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @amount() amount!: string;
}

export class ReconciliationViewDto implements ReconciliationView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @amount('The closed hours, rated as invoices rate them') metered!: string;
  @ApiProperty({ example: '12.345678', nullable: true, type: String, description: 'null until the invoice is issued' })
  invoiced!: string | null;
  @ApiProperty() matches!: boolean;
}

export class FinanceInvoicesViewDto implements FinanceInvoicesView {
  @ApiProperty({ example: PERIOD_EXAMPLE }) period!: string;
  @ApiProperty({ type: [InvoiceViewDto] }) invoices!: InvoiceViewDto[];
  @ApiProperty({ type: [CurrencyTotalViewDto] }) totals!: CurrencyTotalViewDto[];
  @ApiProperty({ type: [ReconciliationViewDto] }) reconciliation!: ReconciliationViewDto[];
}

export class TenantUsageViewDto extends UsageQuantitiesDto implements TenantUsageView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @amount('The usage rated with the price versions in force at each hour') charge!: string;
}

export class FinanceUsageViewDto implements FinanceUsageView {
  @ApiProperty({ example: PERIOD_EXAMPLE }) period!: string;
  @ApiProperty({ type: [TenantUsageViewDto] }) tenants!: TenantUsageViewDto[];
  @ApiProperty({ type: [CurrencyTotalViewDto] }) totals!: CurrencyTotalViewDto[];
}

export class PriceVersionViewDto implements PriceVersionView {
  @ApiProperty({ example: 'pro' }) planId!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ format: 'date-time' }) effectiveFrom!: string;
  // The command's class documents the same fields.
  @ApiProperty({ type: PlanPricesV1 }) prices!: PlanPricesV1;
  @ApiProperty({ format: 'date-time' }) definedAt!: string;
}

export class PriceBookViewDto implements PriceBookView {
  @ApiProperty({ example: 'pro' }) planId!: string;
  @ApiProperty({ type: [PriceVersionViewDto] }) versions!: PriceVersionViewDto[];
}

export class ReratedInvoiceViewDto implements ReratedInvoiceView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() invoiceId!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @amount('As issued') invoiced!: string;
  @amount('With the price book as it is now') rerated!: string;
  @ApiProperty({ example: '-0.012104', description: 'rerated − invoiced; may be negative' }) difference!: string;
  @ApiProperty({ type: [InvoiceLineViewDto] }) lines!: InvoiceLineViewDto[];
}

export class ReratingViewDto implements ReratingView {
  @ApiProperty() reratingId!: string;
  @ApiProperty({ example: PERIOD_EXAMPLE }) period!: string;
  @ApiProperty({ format: 'date-time' }) reratedAt!: string;
  @ApiProperty({ type: [ReratedInvoiceViewDto] }) invoices!: ReratedInvoiceViewDto[];
  @ApiProperty({ type: [CurrencyTotalViewDto] }) totals!: CurrencyTotalViewDto[];
}
