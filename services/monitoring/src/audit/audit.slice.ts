import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { auditLogConsumer } from './audit-log.writer';

/**
 * Starts the audit log's consumer (the NATS handlers are AuditHandlers, in the module).
 * Answers its closer: stop consuming, finishing the message in hand.
 */
export async function startAuditLog(slice: {
  readonly nc: NatsConnection;
  readonly pool: Pool;
  readonly report: (what: string) => (error: unknown) => void;
}): Promise<() => Promise<void>> {
  const consumer = auditLogConsumer(slice.nc, slice.pool, slice.report('audit log'));
  await consumer.start();
  return () => consumer.stop();
}
