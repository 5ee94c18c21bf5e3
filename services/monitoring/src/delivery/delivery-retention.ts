import type { Pool } from 'pg';

/** How often the purge runs: the log is kept in days, so hourly is plenty. */
export const PURGE_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes the deliveries (their attempts go with them) that left the log: finished more
 * than `keepDays` ago, or queued that long ago for a webhook since removed — those would
 * wait for ever, and nobody can see them. Pending deliveries of live webhooks stay.
 */
export async function purgeOldDeliveries(pool: Pool, keepDays: number, now = new Date()): Promise<number> {
  const { rowCount } = await pool.query(
    `delete from monitoring.webhook_deliveries d
      where (d.status <> 'pending' and d.finished_at < $1::timestamptz - make_interval(days => $2))
         or (d.created_at < $1::timestamptz - make_interval(days => $2)
             and exists (select 1 from monitoring.webhooks w where w.webhook_id = d.webhook_id and w.removed))`,
    [now.toISOString(), keepDays],
  );
  return rowCount ?? 0;
}
