import { randomUUID } from 'node:crypto';
import { type ScratchDatabase, createScratchDatabase } from '@caas/testing';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openMonitoringDatabase } from '../read-model/monitoring-database';
import { purgeOldDeliveries } from './delivery-retention';

/*
 * The delivery log's retention, on the real monitoring schema: what the purge deletes
 * and, as important, what it must leave (pending work of live webhooks, recent history).
 */

const NOW = new Date('2026-11-22T12:00:00Z');
const DAY_MS = 24 * 60 * 60_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

let scratch: ScratchDatabase;
let dataSource: DataSource;
let pool: Pool;

beforeAll(async () => {
  scratch = await createScratchDatabase('caas_webhook_retention');
  dataSource = await openMonitoringDatabase(scratch.url);
  pool = new Pool({ connectionString: scratch.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await dataSource?.destroy();
  await scratch?.drop();
});

async function webhook(removed: boolean): Promise<string> {
  const webhookId = randomUUID();
  await pool.query(
    `insert into monitoring.webhooks (webhook_id, tenant_id, url, event_types, description, enabled, removed,
                                      created_at, updated_at, revision)
     values ($1, 'tenant-1', 'https://hooks.example.com/x', '["*"]', '', true, $2, $3, $3, 0)`,
    [webhookId, removed, daysAgo(90)],
  );
  return webhookId;
}

/** A delivery created `createdDaysAgo`, finished `finishedDaysAgo` (null: still pending), with one attempt. */
async function delivery(
  webhookId: string,
  status: 'pending' | 'delivered' | 'failed',
  createdDaysAgo: number,
  finishedDaysAgo: number | null,
): Promise<string> {
  const deliveryId = randomUUID();
  await pool.query(
    `insert into monitoring.webhook_deliveries (delivery_id, webhook_id, tenant_id, event_id, event_type, sequence,
                                                body, status, attempts, created_at, finished_at)
     values ($1, $2, 'tenant-1', $3, 'EnvironmentCreated', 1, '{}', $4, 1, $5, $6)`,
    [
      deliveryId,
      webhookId,
      randomUUID(),
      status,
      daysAgo(createdDaysAgo),
      finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo),
    ],
  );
  await pool.query(
    `insert into monitoring.webhook_delivery_attempts (delivery_id, attempt, at, status_code, duration_ms)
     values ($1, 1, $2, 500, 12)`,
    [deliveryId, daysAgo(createdDaysAgo)],
  );
  return deliveryId;
}

async function remaining(ids: string[]): Promise<{ deliveries: string[]; attempts: string[] }> {
  const deliveries = await pool.query<{ delivery_id: string }>(
    'select delivery_id from monitoring.webhook_deliveries where delivery_id = any($1)',
    [ids],
  );
  const attempts = await pool.query<{ delivery_id: string }>(
    'select delivery_id from monitoring.webhook_delivery_attempts where delivery_id = any($1)',
    [ids],
  );
  return {
    deliveries: deliveries.rows.map((row) => row.delivery_id).sort(),
    attempts: attempts.rows.map((row) => row.delivery_id).sort(),
  };
}

describe('purgeOldDeliveries', () => {
  it('deletes finished deliveries past the retention and those a removed webhook left, with their attempts', async () => {
    const live = await webhook(false);
    const removed = await webhook(true);
    const oldDelivered = await delivery(live, 'delivered', 40, 40);
    const oldFailed = await delivery(live, 'failed', 45, 31);
    const recentDelivered = await delivery(live, 'delivered', 10, 10);
    // Finished recently after a long retry: the finish counts, not the creation.
    const lateFinish = await delivery(live, 'failed', 35, 2);
    const oldPendingLive = await delivery(live, 'pending', 60, null);
    const oldPendingRemoved = await delivery(removed, 'pending', 60, null);
    const recentPendingRemoved = await delivery(removed, 'pending', 3, null);
    const all = [
      oldDelivered,
      oldFailed,
      recentDelivered,
      lateFinish,
      oldPendingLive,
      oldPendingRemoved,
      recentPendingRemoved,
    ];

    const purged = await purgeOldDeliveries(pool, 30, NOW);

    const kept = [recentDelivered, lateFinish, oldPendingLive, recentPendingRemoved].sort();
    expect(purged).toBe(3);
    expect(await remaining(all)).toEqual({ deliveries: kept, attempts: kept });
    // Nothing more is due: a second round deletes nothing.
    expect(await purgeOldDeliveries(pool, 30, NOW)).toBe(0);
  });
});
