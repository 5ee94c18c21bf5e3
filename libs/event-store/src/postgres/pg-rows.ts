import type { RecordedEvent } from '../types';

export interface EventRow {
  transaction_id: string;
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
}

/** int8 and xid8 arrive as text from `pg`; BigInt keeps them exact. */
export const EVENT_COLUMNS =
  'transaction_id::text as transaction_id, position, stream_id, revision, event_id, event_type, data, metadata, created';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata ?? undefined,
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.position) },
    created: row.created,
  };
}
