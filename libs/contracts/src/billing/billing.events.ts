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

export type BillingEvent = PricesDefined;
