import { contextSubjects, deadLetterSubject, eventSubject, isEventsFilter, parseEventSubject } from './subjects';

describe('subjects', () => {
  it('names an event by its owning context and type', () => {
    expect(eventSubject('tenancy', 'TenantCreated')).toBe('caas.events.tenancy.TenantCreated');
    expect(contextSubjects('tenancy')).toBe('caas.events.tenancy.>');
    expect(deadLetterSubject('billing-on-tenancy')).toBe('caas.dlq.billing-on-tenancy');
    expect(parseEventSubject('caas.events.tenancy.TenantCreated')).toEqual({
      context: 'tenancy',
      eventType: 'TenantCreated',
    });
    expect(parseEventSubject('caas.dlq.x')).toBeUndefined();
  });

  it.each(['', 'a.b', 'a*', '>', 'a b'])('refuses %j as a token, which would change the subject shape', (token) => {
    expect(() => eventSubject('tenancy', token)).toThrow(/subject token/);
    expect(() => eventSubject(token, 'TenantCreated')).toThrow(/subject token/);
  });

  it('recognises filters inside caas.events.>', () => {
    for (const ok of ['caas.events.>', 'caas.events.tenancy.>', 'caas.events.*.TenantCreated', 'caas.events.a.B']) {
      expect(isEventsFilter(ok)).toBe(true);
    }
    for (const bad of ['caas.dlq.x', 'caas.*.x', 'caas.events', 'caas.events.>.x', '>', 'caas.events.a..b']) {
      expect(isEventsFilter(bad)).toBe(false);
    }
  });
});
