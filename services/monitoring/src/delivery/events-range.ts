import type { PublicEvent } from '@caas/contracts';
import { EVENTS_STREAM, EVENTS_SUBJECTS, decodeIntegrationEvent, toPublicEvent } from '@caas/messaging';
import { DeliverPolicy, type NatsConnection } from 'nats';

/** CAAS_EVENTS' last sequence now: where a redelivery asked for now ends. */
export async function lastEventSequence(nc: NatsConnection): Promise<number> {
  const info = await (await nc.jetstreamManager()).streams.info(EVENTS_STREAM);
  return info.state.last_seq;
}

/**
 * The events in CAAS_EVENTS from `from` to `to` (inclusive), as public events, in
 * batches, read with an ordered consumer (no durable state on the server). Sequences
 * that are gone (retention) are skipped; a body that is not an event is skipped too.
 */
export async function* eventsInRange(
  nc: NatsConnection,
  from: number,
  to: number,
  batchSize = 256,
): AsyncGenerator<PublicEvent[]> {
  if (from > to) return;
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
    filterSubjects: EVENTS_SUBJECTS,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
  });
  for (;;) {
    const messages = await consumer.fetch({ max_messages: batchSize, expires: 2_000 });
    const batch: PublicEvent[] = [];
    let seen = 0;
    let reachedEnd = false;
    for await (const msg of messages) {
      seen += 1;
      const sequence = msg.info.streamSequence;
      if (sequence > to) {
        reachedEnd = true;
        break;
      }
      try {
        batch.push(toPublicEvent(decodeIntegrationEvent(msg.data), { sequence, subject: msg.subject }));
      } catch {
        // Not an integration event: nothing a webhook could be sent.
      }
      if (sequence === to) {
        reachedEnd = true;
        break;
      }
    }
    if (batch.length > 0) yield batch;
    if (reachedEnd || seen === 0) return;
  }
}
