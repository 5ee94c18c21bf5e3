import type { BillingEvent } from '@caas/contracts';
import { recordedAs } from '@caas/domain';
import type { RecordedEvent } from '@caas/event-store';
import type { EntityManager } from 'typeorm';

/**
 * Prices, invoices and re-ratings as their events say: each row is one event, so a
 * rebuild writes the same rows, and an issued invoice is never updated (a re-rating is
 * rows of its own).
 */
export async function projectInvoicing(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<BillingEvent>(recorded);
  switch (event.type) {
    case 'PricesDefined': {
      const { planId, version, effectiveFrom, prices, definedAt } = event.data;
      await manager.query(
        `insert into billing.price_versions (plan_id, version, effective_from, prices, defined_at)
         values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [planId, version, effectiveFrom, JSON.stringify(prices), definedAt],
      );
      return;
    }
    case 'InvoiceIssued': {
      const { tenantId, period, invoiceId, currency, total, lines, issuedAt } = event.data;
      await manager.query(
        `insert into billing.invoices (tenant_id, period, invoice_id, currency, total, lines, issued_at)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
        [tenantId, period, invoiceId, currency, total, JSON.stringify(lines), issuedAt],
      );
      return;
    }
    case 'PeriodRerated': {
      const { reratingId, period, reratedAt, invoices } = event.data;
      await manager.query(
        `insert into billing.reratings (rerating_id, period, rerated_at, invoices)
         values ($1, $2, $3, $4) on conflict do nothing`,
        [reratingId, period, reratedAt, JSON.stringify(invoices)],
      );
      return;
    }
  }
}
