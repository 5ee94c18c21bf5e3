import { fold } from '@caas/domain';
import { spec } from '@caas/domain/src/decider-spec';
import { hostDecider } from './host.decider';
import { type HostEvent, acceptsContainers, hostStatus } from './host.events';

const host = spec(hostDecider);
const hostId = 'b0000000-0000-4000-8000-000000000001';
const environmentId = 'e0000000-0000-4000-8000-000000000001';
const tenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000001';
const admin = ['platform-admin'];
const capacity = { cpus: 8, memoryMb: 16_384 };
const at = '2026-11-22T10:00:00.000Z';
const later = '2026-11-22T10:00:30.000Z';
const fact = (when = later) => ({ tenantId: null, hostId, capacity, at: when });

const register = {
  kind: 'RegisterHost',
  hostId,
  roles: admin,
  endpoint: 'unix:///var/run/docker-1.sock',
  labels: { zone: 'eu-1a' },
  environmentId,
  capacity,
  at,
} as const;

const registered: HostEvent = {
  type: 'HostRegistered',
  data: { ...fact(at), endpoint: register.endpoint, environmentId, labels: { zone: 'eu-1a' }, dedicatedTenantId: null },
};
const down: HostEvent = { type: 'HostDown', data: { ...fact('2026-11-22T10:00:15.000Z'), lastSeenAt: at } };
const up: HostEvent = { type: 'HostUp', data: fact() };
const drained: HostEvent = { type: 'HostDrained', data: fact() };
const removed: HostEvent = { type: 'HostRemoved', data: fact() };

const markDown = (lastSeenAt = at, when = later) =>
  ({ kind: 'MarkHostDown', hostId, lastSeenAt, ttlMs: 10_000, at: when }) as const;
const markUp = { kind: 'MarkHostUp', hostId, at: later } as const;
const drain = (roles: readonly string[] = admin) => ({ kind: 'DrainHost', hostId, roles, at: later }) as const;
const remove = (containers = 0, roles: readonly string[] = admin) =>
  ({ kind: 'RemoveHost', hostId, roles, containers, at: later }) as const;

describe('host decider', () => {
  describe('RegisterHost', () => {
    it('registers the host with the capacity read from its engine', () =>
      host.given([]).when(register).then([registered]));
    it('records a dedicated tenant', () =>
      host
        .given([])
        .when({ ...register, dedicatedTenantId: tenantId })
        .then([{ ...registered, data: { ...registered.data, dedicatedTenantId: tenantId } }] as HostEvent[]));
    it('is forbidden to anyone but a platform admin', () => {
      host
        .given([])
        .when({ ...register, roles: [] })
        .thenFails('forbidden');
      host
        .given([])
        .when({ ...register, roles: ['finance', 'owner'] })
        .thenFails('forbidden');
    });
    it('refuses a host that is already registered, or was removed (ids are used once)', () => {
      host
        .given([registered])
        .when(register)
        .thenFails('conflict', /already registered/);
      host.given([registered, drained, removed]).when(register).thenFails('conflict');
    });
    it('refuses an engine that reports no CPUs or no memory', () => {
      host
        .given([])
        .when({ ...register, capacity: { cpus: 0, memoryMb: 1024 } })
        .thenFails('validation', /cpus/);
      host
        .given([])
        .when({ ...register, capacity: { cpus: 2, memoryMb: 0 } })
        .thenFails('validation', /memoryMb/);
    });
  });

  describe('MarkHostDown (heartbeat monitor)', () => {
    it('marks an up host down once it has been silent longer than the TTL', () =>
      host
        .given([registered])
        .when(markDown())
        .then([{ type: 'HostDown', data: { ...fact(), lastSeenAt: at } }]));
    it('also a drained host', () =>
      host
        .given([registered, drained])
        .when(markDown())
        .then([{ type: 'HostDown', data: { ...fact(), lastSeenAt: at } }]));
    it('refuses a host that is already down', () =>
      host
        .given([registered, down])
        .when(markDown())
        .thenFails('conflict', /already down/));
    it('refuses while the host was seen within the TTL, or with no TTL', () => {
      host
        .given([registered])
        .when(markDown(at, '2026-11-22T10:00:10.000Z'))
        .thenFails('validation', /within the 10000 ms TTL/);
      host
        .given([registered])
        .when({ ...markDown(), ttlMs: 0 })
        .thenFails('validation', /ttlMs/);
    });
    it('answers not_found for an unknown or removed host', () => {
      host.given([]).when(markDown()).thenFails('not_found');
      host.given([registered, drained, removed]).when(markDown()).thenFails('not_found');
    });
  });

  describe('MarkHostUp (heartbeat monitor)', () => {
    it('marks a down host up again', () => host.given([registered, down]).when(markUp).then([up]));
    it('refuses a host that is up', () => {
      host
        .given([registered])
        .when(markUp)
        .thenFails('conflict', /not down/);
      host.given([registered, down, up]).when(markUp).thenFails('conflict');
    });
    it('answers not_found for an unknown or removed host', () => {
      host.given([]).when(markUp).thenFails('not_found');
      host.given([registered, down, removed]).when(markUp).thenFails('not_found');
    });
  });

  describe('DrainHost', () => {
    it('records the intent to stop placing and move the replicas away', () =>
      host.given([registered]).when(drain()).then([drained]));
    it('also for a down host', () => host.given([registered, down]).when(drain()).then([drained]));
    it('draining a drained host changes nothing', () => host.given([registered, drained]).when(drain()).then([]));
    it('is forbidden to anyone but a platform admin, before anything about the host is said', () => {
      host.given([registered]).when(drain([])).thenFails('forbidden');
      host
        .given([])
        .when(drain(['finance']))
        .thenFails('forbidden');
    });
    it('answers not_found for an unknown or removed host', () => {
      host.given([]).when(drain()).thenFails('not_found');
      host.given([registered, drained, removed]).when(drain()).thenFails('not_found');
    });
  });

  describe('RemoveHost', () => {
    it('removes a drained host with no containers', () =>
      host.given([registered, drained]).when(remove()).then([removed]));
    it('removes a down host with no containers', () => host.given([registered, down]).when(remove()).then([removed]));
    it('refuses an up host that is not drained', () => {
      host
        .given([registered])
        .when(remove())
        .thenFails('conflict', /must be drained/);
      host
        .given([registered, down, up])
        .when(remove())
        .thenFails('conflict', /must be drained/);
    });
    it('refuses while containers remain on it', () => {
      host
        .given([registered, drained])
        .when(remove(2))
        .thenFails('conflict', /still has 2 container/);
      host.given([registered, down]).when(remove(1)).thenFails('conflict');
    });
    it('refuses a container count that is no count', () =>
      host.given([registered, drained]).when(remove(-1)).thenFails('validation'));
    it('is forbidden to anyone but a platform admin', () =>
      host
        .given([registered, drained])
        .when(remove(0, ['finance']))
        .thenFails('forbidden'));
    it('answers not_found for an unknown or removed host', () => {
      host.given([]).when(remove()).thenFails('not_found');
      host.given([registered, drained, removed]).when(remove()).thenFails('not_found');
    });
  });

  describe('state', () => {
    const statusAfter = (events: HostEvent[]) => hostStatus(fold(hostDecider, events));
    it('shows the status the views need, and whether placement may use the host', () => {
      expect(statusAfter([])).toBe('none');
      expect(statusAfter([registered])).toBe('up');
      expect(statusAfter([registered, drained])).toBe('draining');
      expect(statusAfter([registered, drained, down])).toBe('down');
      expect(statusAfter([registered, drained, down, up])).toBe('draining');
      expect(statusAfter([registered, down, removed])).toBe('removed');
      expect(acceptsContainers(fold(hostDecider, [registered, down, up]))).toBe(true);
      expect(acceptsContainers(fold(hostDecider, [registered, drained]))).toBe(false);
      expect(acceptsContainers(fold(hostDecider, [registered, down]))).toBe(false);
    });
    it('keeps what placement and the views read', () =>
      expect(fold(hostDecider, [registered, down])).toEqual({
        lifecycle: 'registered',
        hostId,
        endpoint: register.endpoint,
        environmentId,
        labels: { zone: 'eu-1a' },
        dedicatedTenantId: null,
        capacity,
        health: 'down',
        drained: false,
        lastSeenAt: at,
      }));
  });
});
