/**
 * NATS request/reply subjects of the billing service (queue group `billing`).
 * Tenant routes answer for the tenant in the request's headers only; finance routes
 * need the platform `finance` role (or `platform-admin`) and answer for every tenant.
 */
export const BILLING = {
  /** The tenant's running bill for the current month: each closed hour and day, lines so far (CurrentBillView). */
  currentBill: 'billing.bill.current',
  /** The tenant's issued invoices, newest first (InvoiceView[]). */
  listInvoices: 'billing.invoice.list',
  /** One issued invoice of the tenant (PeriodV1 → InvoiceView); not_found before it is issued. */
  getInvoice: 'billing.invoice.get',
  /** The tenant's hourly usage in a period (PeriodV1 → UsageView). */
  tenantUsage: 'billing.usage.get',

  /** Every tenant's invoices of a period, totals per currency, and their reconciliation with the metered usage. */
  financeInvoices: 'billing.finance.invoices',
  /** Every tenant's metered usage of a period, and what it rates to (FinanceUsageView). */
  financeUsage: 'billing.finance.usage',
  /** Every plan's price versions (PriceBookView[]). */
  listPrices: 'billing.finance.prices.list',
  /** A new price version of a plan (DefinePricesV1 → PriceVersionView). */
  definePrices: 'billing.finance.prices.define',
  /** Prices a period's issued invoices anew with the price book as it is now (PeriodV1 → ReratingView). */
  reratePeriod: 'billing.finance.rerate',
  /** The re-ratings of a period (PeriodV1 → ReratingView[]). */
  listReratings: 'billing.finance.reratings.list',
} as const;
