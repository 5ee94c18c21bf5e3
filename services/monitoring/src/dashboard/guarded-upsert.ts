import type { PoolClient } from 'pg';

/**
 * A row made of groups of columns, each group set by some kinds of event and guarded by
 * its own revision column. One revision per row would lose facts when events arrive out
 * of order: a container's ContainerStopRequested (desired) applied before its
 * ContainerStarted (observed) would make the older Started look stale. Per group, the
 * newest event that says something about those columns wins, which is what applying
 * the stream in order gives.
 */
export interface GuardedTable<Group extends string> {
  readonly name: string;
  readonly key: string;
  /** Per group: its revision column and what an insert puts in its columns until an event sets them. */
  readonly groups: Readonly<Record<Group, { readonly revision: string; readonly unset: Record<string, unknown> }>>;
}

/** What one event sets: per group, its columns' new values. */
export type GroupValues<Group extends string> = Partial<Record<Group, Record<string, unknown>>>;

/**
 * Inserts the row or, per group the event sets, overwrites that group's columns when the
 * event's revision is above the group's. Groups the event does not set are left alone
 * (or inserted as `unset` at revision -1, so any later event sets them).
 */
export async function upsertGuarded<Group extends string>(
  tx: PoolClient,
  table: GuardedTable<Group>,
  keyValue: string,
  revision: string,
  set: GroupValues<Group>,
): Promise<void> {
  const columns: string[] = [table.key];
  const values: unknown[] = [keyValue];
  const updates: string[] = [];
  for (const [group, spec] of Object.entries(table.groups) as [Group, GuardedTable<Group>['groups'][Group]][]) {
    const given = set[group];
    const groupValues = given ?? spec.unset;
    for (const [column, value] of Object.entries(groupValues)) {
      columns.push(column);
      values.push(value);
    }
    columns.push(spec.revision);
    values.push(given ? revision : '-1');
    if (!given) continue;
    const newer = `t.${spec.revision} < excluded.${spec.revision}`;
    for (const column of Object.keys(given)) {
      updates.push(`${column} = case when ${newer} then excluded.${column} else t.${column} end`);
    }
    updates.push(`${spec.revision} = greatest(t.${spec.revision}, excluded.${spec.revision})`);
  }
  const placeholders = values.map((_, index) => `$${index + 1}`).join(', ');
  await tx.query(
    `insert into ${table.name} as t (${columns.join(', ')}) values (${placeholders})
     on conflict (${table.key}) do ${updates.length > 0 ? `update set ${updates.join(', ')}` : 'nothing'}`,
    values,
  );
}
