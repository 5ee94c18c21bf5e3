/**
 * One-statement fast paths for the common appends. Each is a single prepared
 * statement: it takes the stream row's lock, checks the expected revision, reserves
 * the revisions and inserts the events, or does nothing at all — in which case the
 * adapter calls es.append, which handles every case and reports why. A plpgsql
 * function running the same steps costs about three times as much per call.
 *
 * Parameters: $1 stream, $2 category, $3 events jsonb, then $4 is 'any' | 'no_stream'
 * (upsert) or the exact revision, null for 'stream_exists' (update), so no text is
 * ever cast to bigint.
 *
 * An event id already in the stream makes the insert fail on the unique
 * (stream_id, event_id) index, which rolls the whole statement back; the adapter then
 * calls es.append, which recognises an idempotent re-append. That costs nothing on
 * the common path, unlike probing for the ids first.
 */
const INSERT_EVENTS = `
  inserted as (
    insert into es.events (stream_id, category, revision, event_id, event_type, data, metadata)
    select $1, $2, b.previous + x.n, (x.ev->>'id')::uuid, x.ev->>'type', x.ev->'data',
           nullif(x.ev->'metadata', 'null'::jsonb)
      from bumped b, jsonb_array_elements($3::jsonb) with ordinality as x(ev, n)
     order by x.n
    returning revision, position
  )
  select max(revision) as next_revision, pg_current_xact_id()::text as commit_position,
         max(position) as prepare_position
    from inserted`;

/** 'any' and 'no_stream': creates the stream row if missing, else bumps it when the expectation holds. */
export const UPSERT_APPEND = `
  with bumped as (
    insert into es.streams as s (stream_id, category, last_revision)
    values ($1, $2, jsonb_array_length($3::jsonb) - 1)
    on conflict (stream_id) do update set last_revision = s.last_revision + jsonb_array_length($3::jsonb)
     where not s.tombstoned and ($4::text = 'any' or s.last_revision < s.truncate_before)
    returning s.last_revision - jsonb_array_length($3::jsonb) as previous
  ),${INSERT_EVENTS}`;

/** 'stream_exists' ($4 null) and an exact revision ($4): bumps an existing, visible stream. */
export const UPDATE_APPEND = `
  with bumped as (
    update es.streams s set last_revision = s.last_revision + jsonb_array_length($3::jsonb)
     where s.stream_id = $1 and not s.tombstoned and s.last_revision >= s.truncate_before
       and ($4::bigint is null or s.last_revision = $4::bigint)
    returning s.last_revision - jsonb_array_length($3::jsonb) as previous
  ),${INSERT_EVENTS}`;

export const FULL_APPEND =
  'select next_revision, commit_position::text, prepare_position from es.append($1, $2, $3, $4)';
