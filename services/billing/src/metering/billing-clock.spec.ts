import type { EventStore } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { BillingClock } from './billing-clock';

/** Any use of it fails the test: a clock held back by a backlog reads and writes nothing. */
const untouchable = <T extends object>(what: string) =>
  new Proxy({} as T, {
    get: (_, property) => {
      throw new Error(`${what}.${String(property)} used`);
    },
  });

describe('BillingClock', () => {
  it('closes nothing while facts wait to be recorded', async () => {
    const clock = new BillingClock({
      store: untouchable<EventStore>('store'),
      dataSource: untouchable<DataSource>('dataSource'),
      readModel: untouchable<ReadModelConsumer>('readModel'),
      graceMs: 0,
      now: () => new Date('2026-11-22T12:00:00.000Z'),
      backlog: async () => 3,
    });
    expect(await clock.tick()).toBe(0);
  });
});
