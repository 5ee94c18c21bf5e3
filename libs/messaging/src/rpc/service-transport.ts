import { type MessageHandler, type MicroserviceOptions, type NatsOptions, ServerNats } from '@nestjs/microservices';
import { natsMicroservice } from './rpc-server';

/**
 * Listens on `<prefix>.<pattern>` instead of `<pattern>`. Only for tests: a test's
 * in-process instance then answers only that test's requests, not those of a platform
 * started with `npm start` on the same NATS (which uses another database).
 */
class PrefixedServerNats extends ServerNats {
  constructor(
    private readonly prefix: string,
    options: NonNullable<NatsOptions['options']>,
  ) {
    super(options);
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler?: boolean,
    extras?: Record<string, unknown>,
  ): void {
    super.addHandler(`${this.prefix}.${String(pattern)}`, callback, isEventHandler, extras);
  }
}

/**
 * A service's NATS listener in queue group `queue`. On close it first unsubscribes, so
 * new requests go to other instances, and gives requests in flight `graceMs` to answer.
 */
export function serviceTransport(
  natsUrl: string,
  queue: string,
  graceMs: number,
  subjectPrefix?: string,
): MicroserviceOptions {
  const base = natsMicroservice(natsUrl, queue) as NatsOptions;
  const options = { ...base.options, gracefulShutdown: true, gracePeriod: graceMs };
  return subjectPrefix ? { strategy: new PrefixedServerNats(subjectPrefix, options) } : { ...base, options };
}
