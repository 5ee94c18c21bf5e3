import type { Migration } from '../postgres/migrate';
import type { Position } from '../types';

/**
 * The one checkpoint table, `consumers.checkpoints`, shared by every checkpoint store
 * (pg, TypeORM) and the JetStream relays of a database. Append migrations, never edit.
 */
export const checkpointMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'checkpoints',
    sql: `create table consumers.checkpoints (
            consumer         text primary key,
            commit_position  numeric(20) not null,
            prepare_position numeric(20) not null,
            updated_at       timestamptz not null default now())`,
  },
];

export const CHECKPOINT_SQL = {
  /** Creates the row up front so every later transaction has something to lock. */
  ensureRow: `insert into consumers.checkpoints (consumer, commit_position, prepare_position)
              values ($1, -1, -1) on conflict (consumer) do nothing`,
  select: 'select commit_position::text, prepare_position::text from consumers.checkpoints where consumer = $1',
  selectForUpdate:
    'select commit_position::text, prepare_position::text from consumers.checkpoints where consumer = $1 for update',
  save: `update consumers.checkpoints set commit_position = $2, prepare_position = $3, updated_at = now()
          where consumer = $1`,
} as const;

export function checkpointValues(consumer: string, position: Position): string[] {
  return [consumer, position.commit.toString(), position.prepare.toString()];
}

export function toCheckpointPosition(
  row: { commit_position: string; prepare_position: string } | undefined,
): Position | undefined {
  if (!row || row.commit_position === '-1') return undefined;
  return { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
}
