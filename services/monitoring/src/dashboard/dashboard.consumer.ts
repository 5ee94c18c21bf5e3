import { EVENTS_SUBJECTS, JetStreamConsumer, type JetStreamConsumerOptions } from '@caas/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { projectDashboardEvent } from './dashboard.projection';

/** The dashboards' durable on CAAS_EVENTS: every context's public events. */
export const DASHBOARD_DURABLE = 'monitoring-dashboard';

export interface DashboardSlice {
  readonly nc: NatsConnection;
  readonly pool: Pool;
  readonly report: (what: string) => (error: unknown) => void;
}

/** The dashboard read model's consumer, not started (the benchmark overrides its durable). */
export function dashboardConsumer(
  { nc, pool, report }: DashboardSlice,
  overrides: Partial<JetStreamConsumerOptions> = {},
): JetStreamConsumer {
  return new JetStreamConsumer({
    nc,
    pool,
    durable: DASHBOARD_DURABLE,
    filterSubjects: EVENTS_SUBJECTS,
    handle: projectDashboardEvent,
    // Pulled ahead and applied a commit per batch: a burst catches up in a few transactions.
    maxMessages: 100,
    batchSize: 100,
    onError: report('dashboard consumer'),
    ...overrides,
  });
}

/** Starts the dashboard read model's consumer; the caller stops it. */
export async function startDashboardConsumer(slice: DashboardSlice): Promise<JetStreamConsumer> {
  const consumer = dashboardConsumer(slice);
  await consumer.start();
  return consumer;
}

/** The slice as main.ts starts it: answers its closer. */
export async function startDashboard(slice: DashboardSlice): Promise<() => Promise<void>> {
  const consumer = await startDashboardConsumer(slice);
  return () => consumer.stop();
}
