import { WEBHOOK_EVENT_TYPE_FILTER } from '@caas/contracts';
import { matchesEventTypes, normalizedEventTypes } from './event-type-filter';

describe('event type filters', () => {
  it('`*` takes every type', () => {
    expect(matchesEventTypes(['*'], 'ContainerStarted')).toBe(true);
    expect(matchesEventTypes(['*'], 'TenantCreated')).toBe(true);
  });

  it('a prefix ending in * takes the types starting with it, an exact type only itself', () => {
    expect(matchesEventTypes(['Container*'], 'ContainerStarted')).toBe(true);
    expect(matchesEventTypes(['Container*'], 'ServiceCreated')).toBe(false);
    expect(matchesEventTypes(['ImagePushed'], 'ImagePushed')).toBe(true);
    expect(matchesEventTypes(['ImagePushed'], 'ImagePushedAgain')).toBe(false);
    expect(matchesEventTypes(['ImagePushed', 'Tenant*'], 'TenantRenamed')).toBe(true);
    expect(matchesEventTypes([], 'TenantRenamed')).toBe(false);
  });

  it('the contract takes only those three forms', () => {
    const valid = ['*', 'Container*', 'ContainerStarted'];
    const invalid = ['', '**', 'container*', 'Con*tainer', 'caas.events.>', '*Started'];
    expect(valid.every((filter) => WEBHOOK_EVENT_TYPE_FILTER.test(filter))).toBe(true);
    expect(invalid.some((filter) => WEBHOOK_EVENT_TYPE_FILTER.test(filter))).toBe(false);
  });

  it('records each filter once, in order', () => {
    expect(normalizedEventTypes(['B*', 'A', 'B*'])).toEqual(['B*', 'A']);
  });
});
