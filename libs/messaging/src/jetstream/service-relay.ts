import { connect } from 'nats';
import { EventRelay, type EventRelayOptions } from './event-relay';
import { ensureEventsStream } from './events-stream';

export interface ServiceRelay<Tx> {
  readonly relay: EventRelay<Tx>;
  /** Stops relaying, then drains the relay's NATS connection. */
  stop(): Promise<void>;
}

/**
 * What every service does at start-up: its own NATS connection, the events stream
 * ensured, and a relay named `relay-<context>` publishing its public categories.
 */
export async function startServiceRelay<Tx>(
  options: Omit<EventRelayOptions<Tx>, 'js' | 'name'> & { readonly natsUrl: string },
): Promise<ServiceRelay<Tx>> {
  const { natsUrl, ...relayOptions } = options;
  const nats = await connect({ servers: natsUrl, name: `relay-${options.context}` });
  try {
    await ensureEventsStream(await nats.jetstreamManager());
  } catch (error) {
    await nats.close();
    throw error;
  }
  const relay = new EventRelay({ ...relayOptions, name: `relay-${options.context}`, js: nats.jetstream() });
  relay.start();
  return {
    relay,
    async stop() {
      await relay.stop();
      await nats.drain();
    },
  };
}
