#!/usr/bin/env node
// Follows one tenant's container lifecycle events from the platform's JetStream stream
// CAAS_EVENTS with a durable pull consumer, and prints one JSON line per event.
// Needs only the `nats` package. The contract it follows is docs/events.md.
//
//   node examples/lifecycle-consumer/index.mjs --tenant-id <id> [--nats-url <url>] [--durable <name>]
//
// or the environment variables NATS_URL, TENANT_ID, DURABLE (flags win).
/* global console */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { AckPolicy, connect, DeliverPolicy, nanos } from 'nats';

const STREAM = 'CAAS_EVENTS';
/** Every event the scheduling context publishes; the tenant is picked out below, by header. */
const FILTER = 'caas.events.scheduling.>';
/** The schema version this consumer was written against (docs/events.md, "Versions"). */
const KNOWN_VERSION = '1';
/** Redelivered when not acked within this long, e.g. because this process was killed. */
const ACK_WAIT_MS = 30_000;

const { values } = parseArgs({
  options: {
    'nats-url': { type: 'string', default: process.env.NATS_URL || 'nats://127.0.0.1:54222' },
    'tenant-id': { type: 'string', default: process.env.TENANT_ID },
    durable: { type: 'string', default: process.env.DURABLE || 'lifecycle-consumer' },
  },
});
const natsUrl = values['nats-url'];
const tenantId = values['tenant-id'];
const durable = values.durable;
if (!tenantId) {
  console.error('lifecycle-consumer: set TENANT_ID (or --tenant-id): whose containers to follow');
  process.exit(2);
}

const nc = await connect({ servers: natsUrl, name: `lifecycle-consumer-${durable}` });
await ensureDurable(await nc.jetstreamManager());
const consumer = await nc.jetstream().consumers.get(STREAM, durable);
const messages = await consumer.consume({ max_messages: 16 });

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  console.error(`lifecycle-consumer: ${signal}, stopping`);
  // No more pulls; the loop below still handles (and acks) what was already pulled.
  messages.stop();
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

console.error(`lifecycle-consumer: following ${FILTER} of tenant ${tenantId} as durable ${durable} on ${natsUrl}`);
for await (const msg of messages) await handle(msg);
await nc.drain();
console.error('lifecycle-consumer: stopped');

/**
 * Creates the durable on first run; later runs bind to it and resume after the last
 * acknowledged event. A new durable starts at the oldest retained event (30 days).
 */
async function ensureDurable(jsm) {
  const existing = await jsm.consumers.info(STREAM, durable).catch((error) => {
    if (error?.api_error?.err_code === 10014) return undefined; // consumer not found
    throw error;
  });
  if (existing) {
    if (existing.config.filter_subject !== FILTER) {
      throw new Error(`durable ${durable} exists with filter ${existing.config.filter_subject}, not ${FILTER}`);
    }
    return;
  }
  await jsm.consumers.add(STREAM, {
    durable_name: durable,
    filter_subject: FILTER,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ACK_WAIT_MS),
    deliver_policy: DeliverPolicy.All,
  });
}

async function handle(msg) {
  // The headers say whose event it is and which schema it has without parsing the body.
  const tenant = msg.headers?.get('Caas-Tenant-Id') ?? '';
  const type = msg.headers?.get('Caas-Event-Type') ?? '';
  // Events recorded before versions were stamped carry none: they are version 1.
  const version = msg.headers?.get('Caas-Schema-Version') || '1';
  if (tenant !== tenantId || !type.startsWith('Container')) {
    msg.ack(); // not ours to print (another tenant's, or a host's or a service's event)
    return;
  }
  if (version !== KNOWN_VERSION) {
    // A breaking change to this event: this consumer would misread it. Leave it for a newer consumer.
    console.error(`lifecycle-consumer: skipping ${type} of schema version ${version} (knows ${KNOWN_VERSION})`);
    msg.ack();
    return;
  }
  const event = msg.json();
  // Print only once JetStream confirmed the ack: a line printed is an event this durable
  // will not deliver again. Unconfirmed, it is redelivered (at least once) and printed then.
  const acked = await msg.ackAck().catch(() => false);
  if (!acked) return;
  console.log(
    JSON.stringify({
      type: event.type,
      containerId: event.data.containerId,
      tenantId: event.metadata?.tenantId ?? tenant,
      sequence: msg.seq,
      id: event.id,
      revision: event.revision,
      schemaVersion: Number(version),
      at: event.data.at,
    }),
  );
}
