import type { RecordedEvent } from '../types';

export interface EventRow {
  commit_position: string;
  prepare_position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
}

/**
 * int8 and xid8 arrive as text from `pg`; BigInt keeps them exact. The output names
 * differ from the columns on purpose: `order by transaction_id` must sort the xid8
 * column, not a text alias of it.
 */
export const EVENT_COLUMNS =
  'transaction_id::text as commit_position, position as prepare_position, stream_id, revision, event_id, event_type, data, metadata, created';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata ?? undefined,
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    created: row.created,
  };
}
