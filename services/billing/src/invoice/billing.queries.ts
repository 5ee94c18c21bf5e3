import type { InvoiceLine, InvoiceView, PlanPrices, ReratingView } from '@caas/contracts';
import type { EntityManager } from 'typeorm';
import type { HourlyUsage } from '../metering/hourly-usage';
import { formatAmount, parseAmount } from '../price-book/money';
import type { PriceVersion } from '../price-book/price-book.events';

/** The read side of billing: plain SQL over the `billing` schema, one function per question. */

/** [start, end) of a month `YYYY-MM` in UTC. */
export function periodBounds(period: string): { start: string; end: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return {
    start: new Date(Date.UTC(year, month - 1, 1)).toISOString(),
    end: new Date(Date.UTC(year, month, 1)).toISOString(),
  };
}

export const periodOf = (time: Date): string => time.toISOString().slice(0, 7);

export async function priceBooks(manager: EntityManager): Promise<Map<string, PriceVersion[]>> {
  const rows = (await manager.query(
    'select plan_id, version, effective_from, prices, defined_at from billing.price_versions order by plan_id, version',
  )) as Array<{ plan_id: string; version: number; effective_from: Date; prices: PlanPrices; defined_at: Date }>;
  const books = new Map<string, PriceVersion[]>();
  for (const row of rows) {
    const versions = books.get(row.plan_id) ?? [];
    versions.push({
      version: row.version,
      effectiveFrom: row.effective_from.toISOString(),
      prices: row.prices,
      definedAt: row.defined_at.toISOString(),
    });
    books.set(row.plan_id, versions);
  }
  return books;
}

interface HourRow {
  tenant_id: string;
  hour: Date;
  plan_id: string;
  container_ms: string;
  milli_cpu_ms: string;
  memory_mb_ms: string;
  volume_byte_ms: string;
  image_byte_ms: string;
}

const hourOf = (row: HourRow): HourlyUsage => ({
  hour: row.hour.toISOString(),
  planId: row.plan_id,
  containerMs: BigInt(row.container_ms),
  milliCpuMs: BigInt(row.milli_cpu_ms),
  memoryMbMs: BigInt(row.memory_mb_ms),
  volumeByteMs: BigInt(row.volume_byte_ms),
  imageByteMs: BigInt(row.image_byte_ms),
});

/** Every tenant's closed hours of a period (or one tenant's), by tenant, hours in order. */
export async function hoursOfPeriod(
  manager: EntityManager,
  period: string,
  tenantId?: string,
): Promise<Map<string, HourlyUsage[]>> {
  const { start, end } = periodBounds(period);
  const rows = (await manager.query(
    `select tenant_id, hour, plan_id, container_ms::text, milli_cpu_ms::text, memory_mb_ms::text,
            volume_byte_ms::text, image_byte_ms::text
       from billing.hourly_usage
      where hour >= $1 and hour < $2 and ($3::text is null or tenant_id = $3)
      order by tenant_id, hour`,
    [start, end, tenantId ?? null],
  )) as HourRow[];
  const byTenant = new Map<string, HourlyUsage[]>();
  for (const row of rows) {
    const hours = byTenant.get(row.tenant_id) ?? [];
    hours.push(hourOf(row));
    byTenant.set(row.tenant_id, hours);
  }
  return byTenant;
}

/** Where the tenant's meter is: every hour before it is closed (null: nothing metered yet). */
export async function closedThrough(manager: EntityManager, tenantId: string): Promise<string | null> {
  const [row] = (await manager.query('select closed_through from billing.meters where tenant_id = $1', [
    tenantId,
  ])) as Array<{
    closed_through: Date;
  }>;
  return row ? row.closed_through.toISOString() : null;
}

/**
 * Months with every hour closed — the meter is past the month's end, or its tenant left
 * and its last hour is closed — that have no invoice yet, oldest first.
 */
export async function monthsToInvoice(manager: EntityManager): Promise<Array<{ tenantId: string; period: string }>> {
  const rows = (await manager.query(
    `select distinct u.tenant_id, to_char(date_trunc('month', u.hour, 'UTC'), 'YYYY-MM') as period
       from billing.hourly_usage u
       join billing.meters m on m.tenant_id = u.tenant_id
      where (date_trunc('month', u.hour, 'UTC') + interval '1 month' <= m.closed_through
             or (m.ends_at is not null and m.closed_through >= m.ends_at))
        and not exists (select 1 from billing.invoices i
                         where i.tenant_id = u.tenant_id
                           and i.period = to_char(date_trunc('month', u.hour, 'UTC'), 'YYYY-MM'))
      order by period, u.tenant_id`,
  )) as Array<{ tenant_id: string; period: string }>;
  return rows.map((row) => ({ tenantId: row.tenant_id, period: row.period }));
}

interface InvoiceRow {
  tenant_id: string;
  period: string;
  invoice_id: string;
  currency: string;
  total: string;
  lines: InvoiceLine[];
  issued_at: Date;
}

const invoiceOf = (row: InvoiceRow): InvoiceView => ({
  invoiceId: row.invoice_id,
  tenantId: row.tenant_id,
  period: row.period,
  currency: row.currency,
  lines: row.lines,
  total: formatAmount(parseAmount(row.total)!),
  issuedAt: row.issued_at.toISOString(),
});

const INVOICE_COLUMNS = 'tenant_id, period, invoice_id, currency, total::text, lines, issued_at';

/** Issued invoices: of one tenant (newest first), or of a period (by tenant). */
export async function invoices(
  manager: EntityManager,
  filter: { tenantId?: string; period?: string },
): Promise<InvoiceView[]> {
  const rows = (await manager.query(
    `select ${INVOICE_COLUMNS} from billing.invoices
      where ($1::text is null or tenant_id = $1) and ($2::text is null or period = $2)
      order by period desc, tenant_id`,
    [filter.tenantId ?? null, filter.period ?? null],
  )) as InvoiceRow[];
  return rows.map(invoiceOf);
}

export async function reratings(manager: EntityManager, period: string): Promise<ReratingView[]> {
  const rows = (await manager.query(
    'select rerating_id, period, rerated_at, invoices from billing.reratings where period = $1 order by rerated_at, rerating_id',
    [period],
  )) as Array<{ rerating_id: string; period: string; rerated_at: Date; invoices: ReratingView['invoices'] }>;
  return rows.map((row) => ({
    reratingId: row.rerating_id,
    period: row.period,
    reratedAt: row.rerated_at.toISOString(),
    invoices: row.invoices,
    totals: totalsByCurrency(row.invoices.map((invoice) => ({ currency: invoice.currency, amount: invoice.rerated }))),
  }));
}

/** Sums amounts per currency, currencies in order. */
export function totalsByCurrency(amounts: ReadonlyArray<{ currency: string; amount: string }>) {
  const sums = new Map<string, bigint>();
  for (const { currency, amount } of amounts) sums.set(currency, (sums.get(currency) ?? 0n) + parseAmount(amount)!);
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, sum]) => ({ currency, amount: formatAmount(sum) }));
}
