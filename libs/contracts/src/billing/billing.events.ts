/**
 * Public events of the billing context, published on JetStream as
 * `caas.events.billing.<type>`, version 1. Amounts are decimal strings with six places
 * (exact: never floats); times ISO 8601 UTC.
 */

/** What a plan costs: a monthly fee, and a price per unit of metered usage. */
export interface PlanPrices {
  readonly currency: string;
  readonly monthlyFee: string;
  readonly containerHour: string;
  readonly vcpuHour: string;
  /** Per GB (1024 MB) of memory reserved, per hour. */
  readonly memoryGbHour: string;
  readonly volumeGbMonth: string;
  readonly imageStorageGbMonth: string;
}

/** A new version of a plan's prices, in force from `effectiveFrom` until the next version's. */
export interface PricesDefined {
  readonly type: 'PricesDefined';
  readonly data: {
    readonly planId: string;
    /** 1, 2, …: versions only ever follow one another. */
    readonly version: number;
    readonly effectiveFrom: string;
    readonly prices: PlanPrices;
    readonly definedAt: string;
  };
}

/** One line of an invoice: a unit's usage under one plan's price version. */
export interface InvoiceLine {
  readonly unit: 'monthlyFee' | 'container' | 'vcpu' | 'memory' | 'volume' | 'imageStorage';
  readonly planId: string;
  readonly priceVersion: number;
  /** In the price's unit: share of the month (fee), container-hours, vCPU-hours, GB-hours, GB-months. */
  readonly quantity: string;
  readonly unitPrice: string;
  readonly amount: string;
}

/**
 * A tenant's invoice for a calendar month, issued once every hour of it is closed.
 * Final: late facts after it change the metered usage, not the invoice (finance sees
 * the difference in the reconciliation); a new price book gives a re-rating.
 */
export interface InvoiceIssued {
  readonly type: 'InvoiceIssued';
  readonly data: {
    readonly invoiceId: string;
    readonly tenantId: string;
    /** YYYY-MM (UTC). */
    readonly period: string;
    readonly currency: string;
    readonly lines: readonly InvoiceLine[];
    readonly total: string;
    readonly issuedAt: string;
  };
}

/** A period's issued invoices priced anew with the price book as it then was; the invoices stay as issued. */
export interface PeriodRerated {
  readonly type: 'PeriodRerated';
  readonly data: {
    readonly reratingId: string;
    readonly period: string;
    readonly reratedAt: string;
    readonly invoices: ReadonlyArray<{
      readonly tenantId: string;
      readonly invoiceId: string;
      readonly currency: string;
      readonly invoiced: string;
      readonly rerated: string;
      readonly difference: string;
      readonly lines: readonly InvoiceLine[];
    }>;
  };
}

export type BillingEvent = PricesDefined | InvoiceIssued | PeriodRerated;
