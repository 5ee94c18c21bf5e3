/**
 * Streams and events.
 *
 * Global order is (transaction_id, position): `position` alone is handed out at
 * insert time, so a transaction that started earlier can commit a lower position
 * after a later one has committed and been read. Readers therefore only look at rows
 * whose writing transaction is older than the oldest transaction still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`): nothing can ever commit below that
 * line, so a checkpoint on (transaction_id, position) never skips an event.
 */
export const initialSchema = /* sql */ `
create table es.streams (
  stream_id        text primary key,
  category         text not null,
  -- -1 while the stream has never held an event (only ever seen inside an append)
  last_revision    bigint not null,
  -- soft delete hides revisions below this one; a later append continues the numbering
  truncate_before  bigint not null default 0,
  tombstoned       boolean not null default false
);

create table es.events (
  transaction_id  xid8 not null default pg_current_xact_id(),
  position        bigint generated always as identity,
  stream_id       text not null,
  category        text not null,
  revision        bigint not null,
  event_id        uuid not null,
  event_type      text not null,
  data            jsonb not null,
  metadata        jsonb,
  created         timestamptz not null default clock_timestamp(),
  primary key (transaction_id, position),
  unique (stream_id, revision),
  unique (stream_id, event_id)
);

-- No index per category: filtered reads walk the primary key from their cursor, as
-- EventStoreDB's filtered $all reads do, which is cheap for live subscribers and
-- keeps every append one index lighter.

-- Raises ES409 (wrong expected version, detail = actual revision or 'no_stream') or
-- ES410 (tombstoned). Raising rolls back everything, so nothing is half-applied.
create function es.check_expected(p_stream text, p_expected text, p_last bigint, p_visible boolean)
returns void language plpgsql as $$
declare
  v_actual text := case when p_visible then p_last::text else 'no_stream' end;
begin
  if p_expected = 'any' then
    return;
  elsif p_expected = 'no_stream' then
    if p_visible then
      raise exception using errcode = 'ES409', message = p_stream, detail = v_actual, hint = p_expected;
    end if;
  elsif p_expected = 'stream_exists' then
    if not p_visible then
      raise exception using errcode = 'ES409', message = p_stream, detail = v_actual, hint = p_expected;
    end if;
  -- A soft-deleted stream counts as no stream until it is written again.
  elsif not p_visible or p_expected::bigint <> p_last then
    raise exception using errcode = 'ES409', message = p_stream, detail = v_actual, hint = p_expected;
  end if;
end $$;

-- Locks the stream's row (creating it if needed) so appends to one stream are
-- serialised: the revision check and the insert can never interleave.
create function es.lock_stream(p_stream text, p_category text)
returns es.streams language plpgsql as $$
declare
  s es.streams;
begin
  select * into s from es.streams where stream_id = p_stream for update;
  if not found then
    insert into es.streams (stream_id, category, last_revision)
      values (p_stream, p_category, -1) on conflict (stream_id) do nothing;
    select * into s from es.streams where stream_id = p_stream for update;
  end if;
  return s;
end $$;

-- The complete append, for every case: a new stream, a failed check (reporting the
-- actual revision), a tombstone, a re-append of committed events. The adapter first
-- tries one-statement fast paths (append-statements.ts) and falls back to this.
-- p_events: [{"id": uuid, "type": text, "data": json, "metadata": json|null}, ...]
-- No pg_notify in here: NOTIFY takes a cluster-wide lock held through the commit's
-- WAL flush, which would serialise every append. The adapter notifies after commit.
-- OUT parameters rather than RETURNS TABLE: one row, no tuplestore.
create function es.append(p_stream text, p_category text, p_expected text, p_events jsonb,
                          out next_revision bigint, out commit_position xid8, out prepare_position bigint)
language plpgsql as $$
declare
  s es.streams;
  v_count int := jsonb_array_length(p_events);
  v_ids uuid[] := array(select (x.ev->>'id')::uuid
                          from jsonb_array_elements(p_events) with ordinality as x(ev, n) order by x.n);
  v_existing int;
  v_first bigint;
  v_last bigint;
  v_offsets int;
begin
  s := es.lock_stream(p_stream, p_category);
  if s.tombstoned then
    raise exception using errcode = 'ES410', message = p_stream;
  end if;

  -- Idempotent re-append: the same ids already committed, consecutively, where the
  -- caller expected them. Anything else touching those ids is a revision conflict.
  -- (Probing the unique (stream_id, event_id) index keeps this independent of the
  -- stream's length.)
  select count(*), min(e.revision), max(e.revision), count(distinct e.revision - x.n)
    into v_existing, v_first, v_last, v_offsets
    from es.events e
    join unnest(v_ids) with ordinality as x(id, n) on x.id = e.event_id
   where e.stream_id = p_stream and e.event_id = any(v_ids);
  if v_existing > 0 then
    if v_existing = v_count and v_offsets = 1 and (
         p_expected in ('any', 'stream_exists')
         or (p_expected = 'no_stream' and v_first = 0)
         or (p_expected not in ('any', 'no_stream', 'stream_exists') and v_first = p_expected::bigint + 1)) then
      select v_last, e.transaction_id, e.position into next_revision, commit_position, prepare_position
        from es.events e where e.stream_id = p_stream and e.revision = v_last;
      return;
    end if;
    raise exception using errcode = 'ES409', message = p_stream, hint = p_expected,
      detail = case when s.last_revision >= s.truncate_before then s.last_revision::text else 'no_stream' end;
  end if;

  perform es.check_expected(p_stream, p_expected, s.last_revision,
                            s.last_revision >= s.truncate_before);
  update es.streams set last_revision = s.last_revision + v_count where stream_id = p_stream;

  with inserted as (
    insert into es.events (stream_id, category, revision, event_id, event_type, data, metadata)
    select p_stream, p_category, s.last_revision + x.n, (x.ev->>'id')::uuid, x.ev->>'type',
           x.ev->'data', nullif(x.ev->'metadata', 'null'::jsonb)
      from jsonb_array_elements(p_events) with ordinality as x(ev, n)
     order by x.n
    returning position
  )
  select max(position) into prepare_position from inserted;
  next_revision := s.last_revision + v_count;
  commit_position := pg_current_xact_id();
end $$;

create function es.delete_stream(p_stream text, p_category text, p_expected text, p_tombstone boolean)
returns void language plpgsql as $$
declare
  s es.streams;
begin
  s := es.lock_stream(p_stream, p_category);
  if s.tombstoned then
    raise exception using errcode = 'ES410', message = p_stream;
  end if;
  perform es.check_expected(p_stream, p_expected, s.last_revision,
                            s.last_revision >= s.truncate_before);
  update es.streams
     set truncate_before = s.last_revision + 1,
         tombstoned = p_tombstone
   where stream_id = p_stream;
  -- A soft delete of a stream that never existed leaves nothing behind.
  delete from es.streams where stream_id = p_stream and last_revision = -1 and not tombstoned;
end $$;
`;
