import type { InvoiceLine, PeriodRerated, PlanPrices } from './billing.events';

/** Amounts are decimal strings with six places; quantities decimal strings too (exact). */
export type UsageUnit = InvoiceLine['unit'];

/** Metered quantities in the units prices are quoted in. */
export interface UsageQuantities {
  readonly containerHours: string;
  readonly vcpuHours: string;
  readonly memoryGbHours: string;
  readonly volumeGbMonths: string;
  readonly imageStorageGbMonths: string;
}

/** One line: a unit's usage under one plan and price version, and what it costs. */
export type InvoiceLineView = InvoiceLine;

export interface InvoiceView {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly period: string;
  readonly currency: string;
  readonly lines: readonly InvoiceLineView[];
  readonly total: string;
  readonly issuedAt: string;
}

export interface BilledHourView {
  readonly hour: string;
  readonly planId: string;
  readonly amount: string;
}

export interface BilledDayView {
  readonly day: string;
  readonly amount: string;
}

/** The current month so far: closed hours only (an open hour has no numbers yet). */
export interface CurrentBillView {
  readonly tenantId: string;
  readonly period: string;
  readonly currency: string;
  /** Every hour before this is closed and counted. */
  readonly closedThrough: string | null;
  readonly hours: readonly BilledHourView[];
  readonly days: readonly BilledDayView[];
  readonly lines: readonly InvoiceLineView[];
  readonly total: string;
}

export interface UsageHourView extends UsageQuantities {
  readonly hour: string;
  readonly planId: string;
}

export interface UsageView {
  readonly tenantId: string;
  readonly period: string;
  readonly hours: readonly UsageHourView[];
  readonly total: UsageQuantities;
}

export interface CurrencyTotalView {
  readonly currency: string;
  readonly amount: string;
}

/** A tenant's metered charge (its closed hours rated as invoices rate them) against its invoice. */
export interface ReconciliationView {
  readonly tenantId: string;
  readonly currency: string;
  readonly metered: string;
  /** null while the period's invoice is not issued. */
  readonly invoiced: string | null;
  readonly matches: boolean;
}

export interface FinanceInvoicesView {
  readonly period: string;
  readonly invoices: readonly InvoiceView[];
  readonly totals: readonly CurrencyTotalView[];
  readonly reconciliation: readonly ReconciliationView[];
}

export interface TenantUsageView extends UsageQuantities {
  readonly tenantId: string;
  readonly currency: string;
  /** The usage rated with the price versions in force at each hour. */
  readonly charge: string;
}

export interface FinanceUsageView {
  readonly period: string;
  readonly tenants: readonly TenantUsageView[];
  readonly totals: readonly CurrencyTotalView[];
}

export interface PriceVersionView {
  readonly planId: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly prices: PlanPrices;
  readonly definedAt: string;
}

export interface PriceBookView {
  readonly planId: string;
  readonly versions: readonly PriceVersionView[];
}

export type ReratedInvoiceView = PeriodRerated['data']['invoices'][number];

/** A period's issued invoices priced anew; the invoices themselves stay as issued. */
export interface ReratingView {
  readonly reratingId: string;
  readonly period: string;
  readonly reratedAt: string;
  readonly invoices: readonly ReratedInvoiceView[];
  readonly totals: readonly CurrencyTotalView[];
}
