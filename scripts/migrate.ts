// Applies the event store's schema migrations to DATABASE_URL (no-op when current).
import { Pool } from 'pg';
import { migrateEventStore } from '@caas/event-store';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    await migrateEventStore(pool);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
