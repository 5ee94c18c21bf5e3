import type { EventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { projectInvoicing } from '../invoice/invoicing.projection';

/** Checkpoint name; a new name rebuilds prices, invoices and re-ratings from their first event. */
export const INVOICING_READ_MODEL = 'billing-invoicing-v1';

export function startInvoicingReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
  name = INVOICING_READ_MODEL,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name,
    filter: { categories: ['pricebook', 'invoice', 'rerating'] },
    handle: projectInvoicing,
    onError,
  });
}
