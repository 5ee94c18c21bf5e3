import type {
  CurrentBillView,
  FinanceInvoicesView,
  FinanceUsageView,
  PeriodRerated,
  ReconciliationView,
  UsageQuantities,
  UsageView,
} from '@caas/contracts';
import type { EntityManager } from 'typeorm';
import type { HourlyUsage } from '../metering/hourly-usage';
import { divideRounded, formatAmount, parseAmount } from '../price-book/money';
import { closedThrough, hoursOfPeriod, invoices, periodOf, priceBooks, totalsByCurrency } from './billing.queries';
import { hoursInMonth, lineView, rate } from './rating';

const HOUR_MS = 3_600_000n;
const GIB = 1_073_741_824n;

/** Usage in the units prices are quoted in, six places. */
function quantities(hours: readonly HourlyUsage[], period: string): UsageQuantities {
  const sum = (pick: (hour: HourlyUsage) => bigint) => hours.reduce((total, hour) => total + pick(hour), 0n);
  const inUnits = (usage: bigint, per: bigint) => formatAmount(divideRounded(usage * 1_000_000n, per));
  const month = BigInt(hoursInMonth(period)) * HOUR_MS;
  return {
    containerHours: inUnits(
      sum((hour) => hour.containerMs),
      HOUR_MS,
    ),
    vcpuHours: inUnits(
      sum((hour) => hour.milliCpuMs),
      1_000n * HOUR_MS,
    ),
    memoryGbHours: inUnits(
      sum((hour) => hour.memoryMbMs),
      1_024n * HOUR_MS,
    ),
    volumeGbMonths: inUnits(
      sum((hour) => hour.volumeByteMs),
      GIB * month,
    ),
    imageStorageGbMonths: inUnits(
      sum((hour) => hour.imageByteMs),
      GIB * month,
    ),
  };
}

/**
 * The tenant's current month so far: each closed hour and day priced alone (for the
 * chart), and the lines and total priced as the invoice will be — one rounding per
 * line, so the total may differ from the sum of the hours by a few micro-units.
 */
export async function currentBill(manager: EntityManager, tenantId: string, now: Date): Promise<CurrentBillView> {
  const period = periodOf(now);
  const [byTenant, books, through] = await Promise.all([
    hoursOfPeriod(manager, period, tenantId),
    priceBooks(manager),
    closedThrough(manager, tenantId),
  ]);
  const hours = byTenant.get(tenantId) ?? [];
  const rating = rate(hours, books);
  const billed = hours.map((hour) => ({ hour: hour.hour, planId: hour.planId, amount: rate([hour], books).total }));
  const days = new Map<string, bigint>();
  for (const { hour, amount } of billed) days.set(hour.slice(0, 10), (days.get(hour.slice(0, 10)) ?? 0n) + amount);
  return {
    tenantId,
    period,
    currency: rating.currency,
    closedThrough: through,
    hours: billed.map(({ hour, planId, amount }) => ({ hour, planId, amount: formatAmount(amount) })),
    days: [...days.entries()].map(([day, amount]) => ({ day, amount: formatAmount(amount) })),
    lines: rating.lines.map(lineView),
    total: formatAmount(rating.total),
  };
}

export async function tenantUsage(manager: EntityManager, tenantId: string, period: string): Promise<UsageView> {
  const hours = (await hoursOfPeriod(manager, period, tenantId)).get(tenantId) ?? [];
  return {
    tenantId,
    period,
    hours: hours.map((hour) => ({ hour: hour.hour, planId: hour.planId, ...quantities([hour], period) })),
    total: quantities(hours, period),
  };
}

/** Every tenant's usage of the period, and what it rates to with the prices in force at each hour. */
export async function financeUsage(manager: EntityManager, period: string): Promise<FinanceUsageView> {
  const [byTenant, books] = await Promise.all([hoursOfPeriod(manager, period), priceBooks(manager)]);
  const tenants = [...byTenant.entries()].map(([tenantId, hours]) => {
    const { currency, total } = rate(hours, books);
    return { tenantId, currency, charge: formatAmount(total), ...quantities(hours, period) };
  });
  return {
    period,
    tenants,
    totals: totalsByCurrency(tenants.map(({ currency, charge }) => ({ currency, amount: charge }))),
  };
}

/**
 * The period's invoices, their totals per currency, and each tenant's metered charge
 * against its invoice: they match unless facts arrived after the invoice was issued.
 */
export async function financeInvoices(manager: EntityManager, period: string): Promise<FinanceInvoicesView> {
  const [issued, usage] = await Promise.all([invoices(manager, { period }), financeUsage(manager, period)]);
  const byTenant = new Map(issued.map((invoice) => [invoice.tenantId, invoice]));
  const reconciliation = usage.tenants.map(({ tenantId, currency, charge }): ReconciliationView => {
    const invoice = byTenant.get(tenantId);
    return {
      tenantId,
      currency,
      metered: charge,
      invoiced: invoice?.total ?? null,
      matches: invoice !== undefined && invoice.total === charge && invoice.currency === currency,
    };
  });
  return {
    period,
    invoices: [...issued].sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
    totals: totalsByCurrency(issued.map(({ currency, total }) => ({ currency, amount: total }))),
    reconciliation,
  };
}

/** The period's issued invoices priced with the price book as it is now. */
export async function reratedInvoices(
  manager: EntityManager,
  period: string,
): Promise<PeriodRerated['data']['invoices']> {
  const [issued, byTenant, books] = await Promise.all([
    invoices(manager, { period }),
    hoursOfPeriod(manager, period),
    priceBooks(manager),
  ]);
  return [...issued]
    .sort((a, b) => a.tenantId.localeCompare(b.tenantId))
    .map((invoice) => {
      const rating = rate(byTenant.get(invoice.tenantId) ?? [], books);
      return {
        tenantId: invoice.tenantId,
        invoiceId: invoice.invoiceId,
        currency: rating.currency,
        invoiced: invoice.total,
        rerated: formatAmount(rating.total),
        difference: formatAmount(rating.total - parseAmount(invoice.total)!),
        lines: rating.lines.map(lineView),
      };
    });
}
