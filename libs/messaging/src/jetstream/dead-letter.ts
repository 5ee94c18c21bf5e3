import { headers as createHeaders, type JetStreamClient, type JsMsg, type PubAck } from 'nats';
import { CAAS_HEADERS, headerValue } from './integration-event';
import { errorMessage } from './nats-errors';
import { DLQ_STREAM, deadLetterSubject } from './subjects';

/**
 * Files a message a consumer gave up on under `caas.dlq.<durable>`: the original body and
 * headers unchanged, plus why, where from and after how many deliveries — enough to
 * inspect it and to republish it to its original subject once the cause is fixed.
 */
export function publishDeadLetter(js: JetStreamClient, durable: string, msg: JsMsg, reason: unknown): Promise<PubAck> {
  const headers = createHeaders();
  for (const [key, values] of msg.headers ?? []) {
    // Nats-* are JetStream's own controls (Nats-Msg-Id, Nats-Expected-*): they would
    // dedup or constrain the dead letter as if it were the original.
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of values) headers.append(key, value);
  }
  headers.set(CAAS_HEADERS.error, headerValue(errorMessage(reason) || 'unknown error'));
  headers.set(CAAS_HEADERS.originalSubject, msg.subject);
  headers.set(CAAS_HEADERS.originalSequence, String(msg.info.streamSequence));
  headers.set(CAAS_HEADERS.deliveryCount, String(msg.info.deliveryCount));
  return js.publish(deadLetterSubject(durable), msg.data, {
    headers,
    // Filing the same message twice (a crash between this publish and term) is deduplicated.
    msgID: `${durable}:${msg.info.stream}:${msg.info.streamSequence}`,
    expect: { streamName: DLQ_STREAM },
  });
}
