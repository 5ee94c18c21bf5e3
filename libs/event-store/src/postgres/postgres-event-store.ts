import { Pool, type PoolConfig } from 'pg';
import { StreamDeletedError, StreamNotFoundError } from '../errors';
import type { EventStore } from '../event-store.port';
import { START_POSITION } from '../position';
import { ResubscribingSubscription, type ResubscribeOptions } from '../resubscribing-subscription';
import { categoryOf } from '../stream-name';
import type {
  AppendOptions,
  AppendResult,
  DeleteOptions,
  DeleteResult,
  EventData,
  EventFilter,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
  SubscriptionMessage,
} from '../types';
import { assertAppendable, toCount } from '../validation';
import { FULL_APPEND, UPDATE_APPEND, UPSERT_APPEND } from './append-statements';
import { migrateEventStore } from './migrate';
import { isDuplicateEventId, isTransientPgError, mapPgError } from './pg-errors';
import { PgNotifier, Waker } from './pg-notifier';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './pg-rows';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  /** Rows fetched per query by reads and subscriptions. */
  readonly pageSize?: number;
  /** Run migrations on connect (default true). */
  readonly migrate?: boolean;
  /** Tags this store's connections in pg_stat_activity. */
  readonly applicationName?: string;
}

interface AppendRow {
  next_revision: string | null;
  commit_position: string;
  prepare_position: string;
}

interface StreamRow {
  last_revision: string;
  truncate_before: string;
  tombstoned: boolean;
}

/** Only rows written by transactions older than every running one: nothing can commit below them. */
const STABLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
/** Wait between fetches when rows are held back by an older open transaction that may never notify. */
const HELD_BACK_RETRY_MS = [2, 5, 10, 25, 50, 100, 250];
/** Safety net only: wake-ups come from NOTIFY. */
const IDLE_RECHECK_MS = 30_000;

export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly notifier: PgNotifier;
  private readonly pageSize: number;
  private readonly subscriptions = new Set<Subscription>();

  private constructor(options: PostgresEventStoreOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'caas-event-store',
    };
    this.pool = new Pool(config);
    // An idle pooled connection that dies must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.notifier = new PgNotifier({
      connectionString: options.connectionString,
      application_name: `${options.applicationName ?? 'caas-event-store'}-listener`,
    });
    this.pageSize = options.pageSize ?? 500;
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    if (options.migrate ?? true) await migrateEventStore(store.pool);
    return store;
  }

  async appendToStream(
    stream: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    assertAppendable(stream, events);
    const expected = options.expectedRevision ?? 'any';
    const payload = JSON.stringify(
      events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata: metadata ?? null })),
    );
    try {
      const result = await this.append(stream, expected, payload);
      this.notifier.committed();
      return result;
    } catch (error) {
      throw mapPgError(error, stream, expected);
    }
  }

  private async append(stream: string, expected: ExpectedRevision, payload: string): Promise<AppendResult> {
    const category = categoryOf(stream);
    const upsert = expected === 'any' || expected === 'no_stream';
    const fast = await this.pool
      .query<AppendRow>({
        name: upsert ? 'es-append-upsert' : 'es-append-update',
        text: upsert ? UPSERT_APPEND : UPDATE_APPEND,
        values: [stream, category, payload, expected === 'stream_exists' ? null : String(expected)],
      })
      .catch((error) => (isDuplicateEventId(error) ? undefined : Promise.reject(error)));
    const row =
      fast?.rows[0]?.next_revision != null
        ? fast.rows[0]
        : (
            await this.pool.query<AppendRow>({
              name: 'es-append-full',
              text: FULL_APPEND,
              values: [stream, category, String(expected), payload],
            })
          ).rows[0];
    return {
      nextExpectedRevision: BigInt(row.next_revision!),
      position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let remaining = toCount(options.maxCount);
    const state = await this.visibleStream(stream);
    const first = BigInt(state.truncate_before);
    const last = BigInt(state.last_revision);
    const from = options.fromRevision ?? 'start';
    let next = forwards
      ? from === 'start'
        ? first
        : from === 'end'
          ? last + 1n
          : max(from, first)
      : from === 'start'
        ? first
        : from === 'end'
          ? last
          : min(from, last);
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const { rows } = await this.pool.query<EventRow>(
        forwards
          ? `select ${EVENT_COLUMNS} from es.events where stream_id = $1 and revision >= $2 order by revision limit $3`
          : `select ${EVENT_COLUMNS} from es.events where stream_id = $1 and revision <= $2 and revision >= $4
             order by revision desc limit $3`,
        forwards ? [stream, next, limit] : [stream, next, limit, first],
      );
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      next = BigInt(rows[rows.length - 1].revision) + (forwards ? 1n : -1n);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const from = options.fromPosition ?? 'start';
    if (forwards && from === 'end') return;
    let remaining = toCount(options.maxCount);
    let cursor: Position | undefined =
      from === 'start' ? (forwards ? START_POSITION : undefined) : from === 'end' ? undefined : from;
    let inclusive = true;
    while (remaining > 0) {
      const limit = Math.min(remaining, this.pageSize);
      const rows = await this.queryAll({
        cursor,
        forwards,
        inclusive,
        filter: options.filter,
        limit,
        stableOnly: true,
      });
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      cursor = toRecordedEvent(rows[rows.length - 1]).position;
      inclusive = false;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    return this.track<'start' | 'end' | Position>({
      from: options.fromPosition ?? 'start',
      open: (from, signal) => this.followAll(from, options.filter, signal),
      cursorOf: (event) => event.position,
      isTransient: isTransientPgError,
    });
  }

  subscribeToStream(stream: string, options: SubscribeToStreamOptions = {}): Subscription {
    return this.track<'start' | 'end' | bigint>({
      from: options.fromRevision ?? 'start',
      open: (from, signal) => this.followStream(stream, from, signal),
      cursorOf: (event) => event.revision,
      isTransient: isTransientPgError,
    });
  }

  deleteStream(stream: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return this.delete(stream, options.expectedRevision ?? 'any', false);
  }

  tombstoneStream(stream: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return this.delete(stream, options.expectedRevision ?? 'any', true);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.notifier.close();
    await this.pool.end();
  }

  private async delete(stream: string, expected: ExpectedRevision, tombstone: boolean): Promise<DeleteResult> {
    try {
      await this.pool.query('select es.delete_stream($1, $2, $3, $4)', [
        stream,
        categoryOf(stream),
        String(expected),
        tombstone,
      ]);
      return { position: undefined };
    } catch (error) {
      throw mapPgError(error, stream, expected);
    }
  }

  private async visibleStream(stream: string): Promise<StreamRow> {
    const { rows } = await this.pool.query<StreamRow>(
      'select last_revision, truncate_before, tombstoned from es.streams where stream_id = $1',
      [stream],
    );
    const [state] = rows;
    if (state?.tombstoned) throw new StreamDeletedError(stream);
    if (!state || BigInt(state.last_revision) < BigInt(state.truncate_before)) throw new StreamNotFoundError(stream);
    return state;
  }

  private async queryAll(query: {
    cursor: Position | undefined;
    forwards: boolean;
    inclusive: boolean;
    filter: EventFilter | undefined;
    limit: number;
    stableOnly: boolean;
  }): Promise<Array<EventRow & { stable_before: string }>> {
    const values: unknown[] = [];
    const where: string[] = [];
    if (query.stableOnly) where.push(STABLE);
    if (query.cursor) {
      const op = query.forwards ? (query.inclusive ? '>=' : '>') : query.inclusive ? '<=' : '<';
      values.push(query.cursor.commit.toString(), query.cursor.prepare.toString());
      where.push(`(transaction_id, position) ${op} ($1::xid8, $2::bigint)`);
    }
    if (query.filter?.categories) {
      values.push(query.filter.categories);
      where.push(`category = any($${values.length}::text[])`);
    }
    if (query.filter?.eventTypes) {
      values.push(query.filter.eventTypes);
      where.push(`event_type = any($${values.length}::text[])`);
    }
    values.push(query.limit);
    const order = query.forwards ? 'asc' : 'desc';
    const { rows } = await this.pool.query<EventRow & { stable_before: string }>(
      `select ${EVENT_COLUMNS}, pg_snapshot_xmin(pg_current_snapshot())::text as stable_before
         from es.events ${where.length ? `where ${where.join(' and ')}` : ''}
        order by transaction_id ${order}, position ${order} limit $${values.length}`,
      values,
    );
    return rows;
  }

  /**
   * The raw feed behind subscribeToAll. Rows committed by a transaction newer than
   * the oldest one still running are held back and retried shortly: that older
   * transaction may yet commit events that sort before them.
   */
  private async *followAll(
    from: 'start' | 'end' | Position,
    filter: EventFilter | undefined,
    signal: AbortSignal,
  ): AsyncIterable<SubscriptionMessage> {
    const waker = new Waker();
    const stopListening = await this.notifier.listen(waker.wake);
    try {
      let cursor = from === 'end' ? await this.stableEnd() : from === 'start' ? undefined : from;
      let caughtUp = false;
      let heldBackRetries = 0;
      while (!signal.aborted) {
        waker.clear();
        const rows = await this.queryAll({
          cursor,
          forwards: true,
          inclusive: false,
          filter,
          limit: this.pageSize,
          stableOnly: false,
        });
        const stableBefore = rows.length ? BigInt(rows[0].stable_before) : 0n;
        const stable = rows.filter((row) => BigInt(row.commit_position) < stableBefore);
        for (const row of stable) {
          const event = toRecordedEvent(row);
          yield { kind: 'event', event };
          cursor = event.position;
          if (signal.aborted) return;
        }
        if (stable.length === this.pageSize) continue;
        const heldBack = stable.length < rows.length;
        if (!heldBack && !caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp' };
        }
        heldBackRetries = heldBack ? heldBackRetries + 1 : 0;
        const wait = heldBack
          ? HELD_BACK_RETRY_MS[Math.min(heldBackRetries, HELD_BACK_RETRY_MS.length) - 1]
          : IDLE_RECHECK_MS;
        await waker.wait(wait, signal);
      }
    } finally {
      stopListening();
    }
  }

  /** Per-stream order needs no snapshot barrier: the stream's row lock serialises its commits. */
  private async *followStream(
    stream: string,
    from: 'start' | 'end' | bigint,
    signal: AbortSignal,
  ): AsyncIterable<SubscriptionMessage> {
    const waker = new Waker();
    const stopListening = await this.notifier.listen(waker.wake);
    try {
      let after = from === 'start' ? -1n : from === 'end' ? await this.lastRevision(stream) : from;
      let caughtUp = false;
      while (!signal.aborted) {
        waker.clear();
        const { rows } = await this.pool.query<EventRow>(
          `select ${EVENT_COLUMNS} from es.events where stream_id = $1 and revision > $2 order by revision limit $3`,
          [stream, after.toString(), this.pageSize],
        );
        for (const row of rows) {
          const event = toRecordedEvent(row);
          yield { kind: 'event', event };
          after = event.revision;
          if (signal.aborted) return;
        }
        if (rows.length === this.pageSize) continue;
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp' };
        }
        await waker.wait(IDLE_RECHECK_MS, signal);
      }
    } finally {
      stopListening();
    }
  }

  private async stableEnd(): Promise<Position | undefined> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from es.events where ${STABLE} order by transaction_id desc, position desc limit 1`,
    );
    return rows[0] ? toRecordedEvent(rows[0]).position : undefined;
  }

  private async lastRevision(stream: string): Promise<bigint> {
    const { rows } = await this.pool.query<{ last_revision: string }>(
      'select last_revision from es.streams where stream_id = $1',
      [stream],
    );
    return rows[0] ? BigInt(rows[0].last_revision) : -1n;
  }

  /** Subscriptions still open when the store closes are ended with it. */
  private track<Cursor>(options: ResubscribeOptions<Cursor>): Subscription {
    const subscription: Subscription = new ResubscribingSubscription<Cursor>({
      ...options,
      onUnsubscribe: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
