import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';

/**
 * The replication reactor's own tables (schema `images`, written with its checkpoint):
 * which replications follow which repository, and the copies still to make. Not a view:
 * nothing reads them but the reactor and the worker.
 */
@Entity({ name: 'replication_targets' })
@Index('replication_targets_repository', ['repositoryId'])
export class ReplicationTargetRow {
  @PrimaryColumn('text', { name: 'replication_id' })
  replicationId!: string;

  @Column('text', { name: 'repository_id' })
  repositoryId!: string;

  @Column('text', { name: 'source_registry' })
  sourceRegistry!: string;
}

/** One tag to copy: the latest digest seen for it wins (an older one need not be copied first). */
@Entity({ name: 'replication_work' })
@Index('replication_work_due', ['sourceRegistry', 'nextAttemptAt'])
export class ReplicationWorkRow {
  @PrimaryColumn('text', { name: 'replication_id' })
  replicationId!: string;

  @PrimaryColumn('text')
  tag!: string;

  @Column('text')
  digest!: string;

  /** Which platform registry to copy from: only the workers of that registry take it. */
  @Column('text', { name: 'source_registry' })
  sourceRegistry!: string;

  /** Failed attempts at this digest. */
  @Column('integer')
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  /** Set while a worker copies it; a worker that died lets it go when this passes. */
  @Column('timestamptz', { name: 'leased_until', nullable: true })
  leasedUntil!: Date | null;
}

export const REPLICATION_WORK_ENTITIES = [ReplicationTargetRow, ReplicationWorkRow];

export interface WorkItem {
  readonly replicationId: string;
  readonly tag: string;
  readonly digest: string;
  readonly attempts: number;
}

/**
 * Queues `tag` at `digest`, due now. The same digest already queued keeps its schedule
 * (a failing copy keeps backing off); a new digest replaces it and starts afresh.
 */
export async function enqueueCopy(
  manager: EntityManager,
  item: { replicationId: string; tag: string; digest: string; sourceRegistry: string },
): Promise<void> {
  await manager.query(
    `insert into images.replication_work
       (replication_id, tag, digest, source_registry, attempts, next_attempt_at, leased_until)
     values ($1, $2, $3, $4, 0, now(), null)
     on conflict (replication_id, tag) do update
       set digest = excluded.digest, attempts = 0, next_attempt_at = now()
       where replication_work.digest <> excluded.digest`,
    [item.replicationId, item.tag, item.digest, item.sourceRegistry],
  );
}

/**
 * Takes the most overdue copy of `sourceRegistry` that nobody holds, for `leaseSeconds`.
 * One short statement: the copy itself runs outside any transaction, since a long one
 * would hold back every event-store subscriber (see docs/architecture.md, global order).
 */
export async function claimCopy(
  manager: EntityManager,
  sourceRegistry: string,
  leaseSeconds: number,
): Promise<WorkItem | undefined> {
  const rows = (await manager.query(
    `update images.replication_work w
        set leased_until = now() + make_interval(secs => $2)
      where (w.replication_id, w.tag) = (
        select replication_id, tag from images.replication_work
         where source_registry = $1 and next_attempt_at <= now()
           and (leased_until is null or leased_until < now())
         order by next_attempt_at
         limit 1
         for update skip locked)
      returning w.replication_id, w.tag, w.digest, w.attempts`,
    [sourceRegistry, leaseSeconds],
  )) as [Array<{ replication_id: string; tag: string; digest: string; attempts: number }>, number];
  const [row] = rows[0];
  return row && { replicationId: row.replication_id, tag: row.tag, digest: row.digest, attempts: row.attempts };
}

/** Done: dropped, unless a newer digest was queued meanwhile (then only the lease goes). */
export async function finishCopy(manager: EntityManager, item: WorkItem): Promise<void> {
  await manager.query(`delete from images.replication_work where replication_id = $1 and tag = $2 and digest = $3`, [
    item.replicationId,
    item.tag,
    item.digest,
  ]);
  await releaseCopy(manager, item);
}

/** Failed: tried again at `retryAt` (unless a newer digest was queued meanwhile, which is due now). */
export async function retryCopyAt(manager: EntityManager, item: WorkItem, retryAt: Date): Promise<void> {
  await manager.query(
    `update images.replication_work set attempts = attempts + 1, next_attempt_at = $4, leased_until = null
      where replication_id = $1 and tag = $2 and digest = $3`,
    [item.replicationId, item.tag, item.digest, retryAt],
  );
  await releaseCopy(manager, item);
}

async function releaseCopy(manager: EntityManager, item: WorkItem): Promise<void> {
  await manager.query(`update images.replication_work set leased_until = null where replication_id = $1 and tag = $2`, [
    item.replicationId,
    item.tag,
  ]);
}
