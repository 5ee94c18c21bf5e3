import { fold } from '@caas/domain';
import { spec } from '@caas/domain/src/decider-spec';
import { nextStepOf } from './rollout';
import { mayChangeServices } from './service-access';
import { serviceDecider, type ServiceCommand } from './service.decider';
import {
  at,
  completed,
  created,
  createSpec,
  developer,
  developerKey,
  environmentId,
  failed,
  healthy,
  otherTenantOwner,
  owner,
  platform,
  platformOfOtherTenant,
  removed,
  resources,
  rolledBack,
  running3,
  scaled,
  serviceId,
  started,
  stopped,
  template1,
  template2,
  template3,
  tenantId,
  updated,
  viewer,
} from './service.decider-fixtures';
import { serviceStream } from './service.events';

const service = spec(serviceDecider);
const fact = { tenantId, environmentId, serviceId, at };

/** Revision 2 rolling out over three healthy replicas of revision 1 (u = 0, s = 1). */
const rolling: typeof running3 = [...running3, updated(2, 1)];

describe('service decider', () => {
  it('lives in stream service-<serviceId>', () => expect(serviceStream(serviceId)).toBe(`service-${serviceId}`));

  describe('CreateService', () => {
    const create = (caller = owner, replicas = 3, update?: { maxUnavailable: number; maxSurge: number }) =>
      ({ kind: 'CreateService', caller, serviceId, at, spec: createSpec(replicas, update) }) as const;

    it('creates revision 1 with the default update limits', () =>
      service
        .given([])
        .when(create())
        .then([created(3)]));
    it('records the given update limits, for a developer and a developer key too', () => {
      service
        .given([])
        .when(create(developer, 2, { maxUnavailable: 1, maxSurge: 0 }))
        .then([created(2, { maxUnavailable: 1, maxSurge: 0 })]);
      service
        .given([])
        .when(create(developerKey))
        .then([created(3)]);
    });
    it('accepts 0 and 100 replicas', () => {
      service
        .given([])
        .when(create(owner, 0))
        .then([created(0)]);
      service
        .given([])
        .when(create(owner, 100))
        .then([created(100)]);
    });
    it('refuses replicas outside 0–100 and limits that could never progress', () => {
      service
        .given([])
        .when(create(owner, 101))
        .thenFails('validation', /replicas/);
      service
        .given([])
        .when(create(owner, -1))
        .thenFails('validation', /replicas/);
      service
        .given([])
        .when(create(owner, 1.5))
        .thenFails('validation', /replicas/);
      service
        .given([])
        .when(create(owner, 3, { maxUnavailable: 0, maxSurge: 0 }))
        .thenFails('validation', /both be 0/);
      service
        .given([])
        .when(create(owner, 3, { maxUnavailable: 101, maxSurge: 0 }))
        .thenFails('validation', /maxUnavailable/);
    });
    it('is forbidden to a viewer', () => service.given([]).when(create(viewer)).thenFails('forbidden'));
    it('refuses an id that is taken', () => service.given([created()]).when(create()).thenFails('conflict'));
  });

  describe('ScaleService', () => {
    const scale = (replicas: number, caller = owner) =>
      ({ kind: 'ScaleService', caller, serviceId, at, replicas }) as const;

    it('scales up and down with from/to', () => {
      service
        .given(running3)
        .when(scale(5))
        .then([scaled(3, 5)]);
      service
        .given(running3)
        .when(scale(1, developer))
        .then([scaled(3, 1)]);
    });
    it('the same count changes nothing', () => service.given(running3).when(scale(3)).then([]));
    it('refuses a count outside 0–100', () => service.given(running3).when(scale(101)).thenFails('validation'));
    it('is forbidden to a viewer', () => service.given(running3).when(scale(5, viewer)).thenFails('forbidden'));
    it('answers not_found for another tenant, a removed service and none at all', () => {
      service.given(running3).when(scale(5, otherTenantOwner)).thenFails('not_found');
      service
        .given([...running3, removed])
        .when(scale(5))
        .thenFails('not_found');
      service.given([]).when(scale(5)).thenFails('not_found');
    });
    it('not_found comes before forbidden: a viewer of another tenant learns nothing', () =>
      service
        .given(running3)
        .when(scale(5, { ...viewer, tenantId: 'someone-else' }))
        .thenFails('not_found'));
    it('during a rollout, changes N of the rollout; scaling down to the new replicas completes it', () => {
      const twoNew = [...rolling, started('n1', 2), healthy('n1'), started('n2', 2), healthy('n2')];
      service
        .given(twoNew)
        .when(scale(4))
        .then([scaled(3, 4)]);
      service
        .given([...twoNew, stopped('a'), stopped('b'), stopped('c')])
        .when(scale(2))
        .then([scaled(3, 2), completed(2)]);
    });
  });

  describe('UpdateService', () => {
    const update = (changes: object, caller = owner) =>
      ({ kind: 'UpdateService', caller, serviceId, at, spec: { serviceId, ...changes } }) as unknown as ServiceCommand;

    it('records a new revision and starts its rollout', () => {
      service
        .given(running3)
        .when(update({ image: template2.image }))
        .then([updated(2, 1)]);
      const state = fold(serviceDecider, [...running3, updated(2, 1)]);
      expect(state.rollout).toEqual({ status: 'rolling', target: 2, rollingBackFrom: null });
      expect(nextStepOf(state)).toEqual({ startNew: 1, stopOld: [] });
    });
    it('a given field replaces the old value whole; fields left out are kept', () =>
      service
        .given(running3)
        .when(update({ env: { A: '1' }, update: { maxUnavailable: 1, maxSurge: 2 } }))
        .then([
          {
            type: 'ServiceUpdated',
            data: {
              ...fact,
              revision: 2,
              previousRevision: 1,
              image: template1.image,
              resources,
              maxUnavailable: 1,
              maxSurge: 2,
              template: { ...template1, env: { A: '1' } },
            },
          },
        ]));
    it('the same template and limits is a repeat and changes nothing', () =>
      service
        .given(running3)
        .when(update({ image: template1.image, env: { LOG_LEVEL: 'info' } }))
        .then([]));
    it('refuses limits alone, and limits that could never progress', () => {
      service
        .given(running3)
        .when(update({ update: { maxUnavailable: 1, maxSurge: 1 } }))
        .thenFails('validation', /limits apply to a rollout/);
      service
        .given(running3)
        .when(update({ image: template2.image, update: { maxUnavailable: 0, maxSurge: 0 } }))
        .thenFails('validation', /both be 0/);
    });
    it('during a rollout supersedes it: the new revision is the target, previousRevision the superseded one', () => {
      service
        .given(rolling)
        .when(update({ image: template3.image }))
        .then([updated(3, 2, template3)]);
      const state = fold(serviceDecider, [...rolling, started('n1', 2), updated(3, 2, template3)]);
      expect(state.rollout).toEqual({ status: 'rolling', target: 3, rollingBackFrom: null });
      // The starting replica of revision 2 is retired at once; the healthy ones of revision 1 wait.
      expect(nextStepOf(state)).toEqual({ startNew: 0, stopOld: ['n1'] });
    });
    it('is forbidden to a viewer; not_found for another tenant or a removed service', () => {
      service
        .given(running3)
        .when(update({ image: template2.image }, viewer))
        .thenFails('forbidden');
      service
        .given(running3)
        .when(update({ image: template2.image }, otherTenantOwner))
        .thenFails('not_found');
      service
        .given([...running3, removed])
        .when(update({ image: template2.image }))
        .thenFails('not_found');
    });
  });

  describe('RemoveService', () => {
    const remove = (caller = owner) => ({ kind: 'RemoveService', caller, serviceId, at }) as const;

    it('removes, also during a rollout (no RolloutCompleted)', () => {
      service.given(running3).when(remove()).then([removed]);
      service.given(rolling).when(remove(developer)).then([removed]);
    });
    it('then every replica is stopped', () =>
      expect(nextStepOf(fold(serviceDecider, [...running3, removed]))).toEqual({
        startNew: 0,
        stopOld: ['a', 'b', 'c'],
      }));
    it('is forbidden to a viewer; not_found for another tenant, twice, or none at all', () => {
      service.given(running3).when(remove(viewer)).thenFails('forbidden');
      service.given(running3).when(remove(otherTenantOwner)).thenFails('not_found');
      service
        .given([...running3, removed])
        .when(remove())
        .thenFails('not_found');
      service.given([]).when(remove()).thenFails('not_found');
    });
  });

  describe('replica facts (from the reconciler)', () => {
    const report = <K extends string>(kind: K, replicaId: string, extra: object = {}, caller = platform) =>
      ({ kind, caller, serviceId, at, replicaId, ...extra }) as unknown as ServiceCommand;

    it('are accepted from the platform only, for the service’s own tenant', () => {
      service
        .given([created()])
        .when(report('ReportReplicaStarted', 'a', { revision: 1 }, owner))
        .thenFails('forbidden');
      service
        .given([created()])
        .when(report('ReportReplicaStarted', 'a', { revision: 1 }, platformOfOtherTenant))
        .thenFails('not_found');
      service
        .given([])
        .when(report('ReportReplicaStarted', 'a', { revision: 1 }))
        .thenFails('not_found');
    });

    describe('ReportReplicaStarted', () => {
      it('records a starting replica of a revision; again changes nothing', () => {
        service
          .given([created()])
          .when(report('ReportReplicaStarted', 'a', { revision: 1 }))
          .then([started('a', 1)]);
        service
          .given([created(), started('a', 1)])
          .when(report('ReportReplicaStarted', 'a', { revision: 1 }))
          .then([]);
      });
      it('refuses a revision the service does not have', () =>
        service
          .given([created()])
          .when(report('ReportReplicaStarted', 'a', { revision: 2 }))
          .thenFails('validation'));
      it('is recorded for a removed service too, so that the replica gets stopped', () =>
        service
          .given([created(), removed])
          .when(report('ReportReplicaStarted', 'a', { revision: 1 }))
          .then([started('a', 1)]));
    });

    describe('ReportReplicaHealthy', () => {
      it('marks a starting replica healthy; again changes nothing', () => {
        service
          .given([created(), started('a', 1)])
          .when(report('ReportReplicaHealthy', 'a'))
          .then([healthy('a')]);
        service
          .given([created(), started('a', 1), healthy('a')])
          .when(report('ReportReplicaHealthy', 'a'))
          .then([]);
      });
      it('does not bring a failed replica back', () =>
        service
          .given([created(), started('a', 1), failed('a')])
          .when(report('ReportReplicaHealthy', 'a'))
          .then([]));
      it('answers not_found for an unknown replica', () =>
        service.given([created()]).when(report('ReportReplicaHealthy', 'x')).thenFails('not_found'));
      it('completes the rollout when the last replica needed becomes healthy', () =>
        service
          .given([created(1), started('a', 1), healthy('a'), updated(2, 1), started('n1', 2), stopped('a')])
          .when(report('ReportReplicaHealthy', 'n1'))
          .then([healthy('n1'), completed(2)]));
      it('outside a rollout completes nothing', () =>
        service
          .given([created(1), started('a', 1)])
          .when(report('ReportReplicaHealthy', 'a'))
          .then([healthy('a')]));
    });

    describe('ReportReplicaUnhealthy', () => {
      const unhealthy = (id: string) => report('ReportReplicaUnhealthy', id, { reason: 'HTTP 500' });

      it('a new replica failing halts the rollout and rolls back to the stable revision', () => {
        service
          .given([...rolling, started('n1', 2)])
          .when(unhealthy('n1'))
          .then([failed('n1'), rolledBack(2, 1, 'n1')]);
        const state = fold(serviceDecider, [...rolling, started('n1', 2), failed('n1'), rolledBack(2, 1, 'n1')]);
        expect(state.rollout).toEqual({ status: 'rolling', target: 1, rollingBackFrom: 2 });
        expect(nextStepOf(state)).toEqual({ startNew: 0, stopOld: ['n1'] });
      });
      it('after superseding updates, restores the last revision that completed', () =>
        service
          .given([...rolling, updated(3, 2, template3), started('n3', 3)])
          .when(unhealthy('n3'))
          .then([failed('n3'), rolledBack(3, 1, 'n3')]));
      it('an old replica failing, or any replica outside a rollout, is only marked failed (and replaced)', () => {
        service
          .given(rolling)
          .when(unhealthy('a'))
          .then([failed('a')]);
        service
          .given(running3)
          .when(unhealthy('b'))
          .then([failed('b')]);
        expect(nextStepOf(fold(serviceDecider, [...running3, failed('b')]))).toEqual({ startNew: 1, stopOld: ['b'] });
      });
      it('during a rollback a failing restored replica does not roll back again', () =>
        service
          .given([...rolling, started('n1', 2), failed('n1'), rolledBack(2, 1, 'n1'), started('r1', 1)])
          .when(unhealthy('r1'))
          .then([failed('r1')]));
      it('again, or for a removed service, changes nothing; unknown replica → not_found', () => {
        service
          .given([...rolling, started('n1', 2), failed('n1')])
          .when(unhealthy('n1'))
          .then([]);
        service
          .given([...running3, removed])
          .when(unhealthy('a'))
          .then([]);
        service.given(running3).when(unhealthy('x')).thenFails('not_found');
      });
    });

    describe('ReportReplicaStopped', () => {
      it('forgets the replica; an unknown one changes nothing', () => {
        service
          .given(running3)
          .when(report('ReportReplicaStopped', 'a'))
          .then([stopped('a')]);
        service.given(running3).when(report('ReportReplicaStopped', 'x')).then([]);
      });
      it('stopping the last old replica completes the rollout', () =>
        service
          .given([created(1), started('a', 1), healthy('a'), updated(2, 1), started('n1', 2), healthy('n1')])
          .when(report('ReportReplicaStopped', 'a'))
          .then([stopped('a'), completed(2)]));
      it('a rollback completes with the restored revision', () =>
        service
          .given([
            created(1),
            started('a', 1),
            healthy('a'),
            updated(2, 1),
            started('n1', 2),
            failed('n1'),
            rolledBack(2, 1, 'n1'),
          ])
          .when(report('ReportReplicaStopped', 'n1'))
          .then([stopped('n1'), completed(1)]));
      it('is recorded for a removed service', () =>
        service
          .given([...running3, removed])
          .when(report('ReportReplicaStopped', 'a'))
          .then([stopped('a')]));
    });
  });

  it('the role check is a pure function of the roles', () => {
    expect(mayChangeServices(['owner'])).toBe(true);
    expect(mayChangeServices(['admin'])).toBe(true);
    expect(mayChangeServices(['developer'])).toBe(true);
    expect(mayChangeServices(['viewer'])).toBe(false);
    expect(mayChangeServices([])).toBe(false);
    expect(mayChangeServices(['platform-admin'])).toBe(false);
  });
});
