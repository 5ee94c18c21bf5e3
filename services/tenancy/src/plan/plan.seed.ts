import { randomUUID } from 'node:crypto';
import { type EventMetadata, SYSTEM_ACTOR } from '@caas/contracts';
import { loadState } from '@caas/domain';
import { type EventStore, WrongExpectedVersionError } from '@caas/event-store';
import { deterministicUuid } from '../shared/deterministic-id';
import { PLAN_CATALOGUE, type PlanDefinition } from './plan.catalogue';
import { planDecider } from './plan.decider';
import { planStream } from './plan.events';

/**
 * Defines every catalogue plan at startup. Idempotent twice over: an unchanged plan
 * decides no event, and two instances seeding at once append the same event id at
 * the same revision, which the store accepts once and treats as a no-op after.
 */
export async function seedPlans(store: EventStore, catalogue: readonly PlanDefinition[] = PLAN_CATALOGUE) {
  const metadata: EventMetadata = {
    schemaVersion: 1,
    tenantId: null,
    actor: SYSTEM_ACTOR,
    correlationId: randomUUID(),
    causationId: 'seed-plans',
  };
  for (const plan of catalogue) await seedPlan(store, plan, metadata);
}

async function seedPlan(store: EventStore, plan: PlanDefinition, metadata: EventMetadata): Promise<void> {
  const stream = planStream(plan.planId);
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadState(store, planDecider, stream);
    const events = planDecider.decide({ kind: 'DefinePlan', ...plan }, state);
    if (events.length === 0) return;
    const first = revision === undefined ? 0n : revision + 1n;
    const toAppend = events.map((event, i) => ({
      // Same place, same content → same id, whichever instance appends it.
      id: deterministicUuid(`${stream}@${first + BigInt(i)}:${JSON.stringify(event.data)}`),
      type: event.type,
      data: event.data,
      metadata,
    }));
    try {
      await store.appendToStream(stream, toAppend, { expectedRevision: revision ?? 'no_stream' });
      return;
    } catch (error) {
      // Someone else redefined the plan in between: decide again on what they wrote.
      if (!(error instanceof WrongExpectedVersionError) || attempt >= 3) throw error;
    }
  }
}
