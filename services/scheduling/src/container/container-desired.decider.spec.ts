import type { SchedulingEventData } from '@caas/contracts';
import { fold } from '@caas/domain';
import { spec } from '@caas/domain/src/decider-spec';
import { LABELS } from '../runtime/runtime-spec';
import { containerDecider } from './container.decider';
import {
  containerId,
  deleteRequested,
  deleted,
  died,
  engineName,
  fact,
  gone,
  hostId,
  otherTenantId,
  ports,
  resources,
  restartRequested,
  running,
  runtimeSpec,
  schedule,
  scheduled,
  scheduledAll,
  placementDecided,
  specRecorded,
  serviceId,
  startRequested,
  stopRequested,
  stopped,
  t2,
  t3,
  tenantId,
} from './container.decider-fixtures';
import type { ContainerEvent } from './container.events';

const container = spec(containerDecider);
const ref = (kind: string, tenant = tenantId) => ({ kind, tenantId: tenant, containerId, at: t3 });
const start = ref('StartContainer') as { kind: 'StartContainer'; tenantId: string; containerId: string; at: string };
const stop = (extra: { timeoutSeconds?: number; reason?: 'host-drained' } = {}, tenant = tenantId) =>
  ({ ...ref('StopContainer', tenant), ...extra }) as { kind: 'StopContainer' } & ReturnType<typeof ref>;
const restart = ref('RestartContainer') as { kind: 'RestartContainer' } & ReturnType<typeof ref>;
const remove = (extra: { timeoutSeconds?: number; reason?: 'scaled-down' } = {}, tenant = tenantId) =>
  ({ ...ref('DeleteContainer', tenant), ...extra }) as { kind: 'DeleteContainer' } & ReturnType<typeof ref>;

describe('container decider: desired state', () => {
  describe('ScheduleContainer', () => {
    it('records the placement with its reason, the resources, image, ports, engine name and (privately) the spec', () =>
      container.given([]).when(schedule).then(scheduledAll));

    it("records a service replica's slot", () => {
      const labels = { ...runtimeSpec.labels, [LABELS.service]: serviceId, [LABELS.replica]: '2' };
      const replica = { ...schedule, serviceId, replica: 2, spec: { ...runtimeSpec, labels } };
      const slot = { serviceId, replica: 2 };
      container
        .given([])
        .when(replica)
        .then([
          { ...placementDecided, data: { ...placementDecided.data, ...slot } },
          { ...scheduled, data: { ...scheduled.data, ...slot } },
          { ...specRecorded, data: { ...specRecorded.data, spec: replica.spec } },
        ] as ContainerEvent[]);
    });

    it('keeps what the reconciler needs in the state', () =>
      expect(fold(containerDecider, [scheduled])).toMatchObject({
        lifecycle: 'scheduled',
        tenantId,
        hostId,
        engineName,
        resources,
        ports,
        desired: 'running',
        observed: 'scheduled',
        startPending: true,
      }));

    it('derives the engine name for events recorded before engineName was added', () => {
      const { engineName: _name, ...older } = scheduled.data as SchedulingEventData<'ContainerScheduled'>;
      expect(fold(containerDecider, [{ type: 'ContainerScheduled', data: older }]).engineName).toBe(engineName);
    });

    it('refuses a container id that is taken (also by another tenant)', () => {
      container
        .given([scheduled])
        .when(schedule)
        .thenFails('conflict', /already scheduled/);
      container
        .given([scheduled])
        .when({ ...schedule, tenantId: otherTenantId })
        .thenFails('conflict');
    });

    it('refuses a runtime spec made for another container, tenant or host', () => {
      container
        .given([])
        .when({ ...schedule, spec: { ...runtimeSpec, name: 'caas-other' } })
        .thenFails('validation', /spec.name must be/);
      container
        .given([])
        .when({ ...schedule, placement: { ...schedule.placement, hostId: 'b0000000-0000-4000-8000-000000000002' } })
        .thenFails('validation', /caas.host/);
      container
        .given([])
        .when({
          ...schedule,
          spec: { ...runtimeSpec, labels: { ...runtimeSpec.labels, [LABELS.tenant]: otherTenantId } },
        })
        .thenFails('validation', /caas.tenant/);
      container
        .given([])
        .when({ ...schedule, spec: { ...runtimeSpec, labels: { ...runtimeSpec.labels, [LABELS.service]: serviceId } } })
        .thenFails('validation', /caas.service must be absent/);
    });

    it('refuses a replica slot without a service, a service without a slot, or a negative slot', () => {
      container
        .given([])
        .when({ ...schedule, replica: 0 })
        .thenFails('validation', /replica/);
      container
        .given([])
        .when({ ...schedule, serviceId })
        .thenFails('validation', /slot/);
      const labels = { ...runtimeSpec.labels, [LABELS.service]: serviceId, [LABELS.replica]: '-1' };
      container
        .given([])
        .when({ ...schedule, serviceId, replica: -1, spec: { ...runtimeSpec, labels } })
        .thenFails('validation', /integer >= 0/);
    });
  });

  describe('StartContainer', () => {
    it('starts a stopped container again', () =>
      container
        .given([...running, stopRequested(), stopped(t2)])
        .when(start)
        .then([startRequested(t3)]));
    it('starts a container that died', () =>
      container
        .given([...running, died()])
        .when(start)
        .then([startRequested(t3)]));
    it('changes nothing for a running container or one about to start', () => {
      container.given(running).when(start).then([]);
      container.given([scheduled]).when(start).then([]);
    });
    it('answers not_found for a deleted, removed, unknown or other tenant’s container', () => {
      container.given(deleted).when(start).thenFails('not_found');
      container.given(gone).when(start).thenFails('not_found');
      container.given([]).when(start).thenFails('not_found');
      container
        .given(running)
        .when({ ...start, tenantId: otherTenantId })
        .thenFails('not_found');
    });
  });

  describe('StopContainer', () => {
    it('asks for a stop, with the timeout and the reason', () => {
      container
        .given(running)
        .when(stop({ timeoutSeconds: 5 }))
        .then([stopRequested(t3, 5)]);
      container
        .given(running)
        .when(stop({ reason: 'host-drained' }))
        .then([
          { type: 'ContainerStopRequested', data: { ...fact(t3), reason: 'host-drained', timeoutSeconds: null } },
        ]);
    });
    it('stopping a stopped container is a no-op', () => {
      container
        .given([...running, stopRequested()])
        .when(stop())
        .then([]);
      container
        .given([...running, stopRequested(), stopped(t2)])
        .when(stop())
        .then([]);
    });
    it('answers not_found for a deleted, unknown or other tenant’s container', () => {
      container.given(deleted).when(stop()).thenFails('not_found');
      container.given([]).when(stop()).thenFails('not_found');
      container.given(running).when(stop({}, otherTenantId)).thenFails('not_found');
    });
  });

  describe('RestartContainer', () => {
    it('asks a running container to be stopped and started', () => {
      container
        .given(running)
        .when(restart)
        .then([restartRequested(t3)]);
      expect(fold(containerDecider, [...running, restartRequested(t3)])).toMatchObject({
        desired: 'running',
        startPending: true,
        restartPending: true,
      });
    });
    it('starts a stopped one', () => {
      const history = [...running, stopRequested(), stopped(t2)];
      container
        .given(history)
        .when(restart)
        .then([restartRequested(t3)]);
      expect(fold(containerDecider, [...history, restartRequested(t3)])).toMatchObject({
        desired: 'running',
        startPending: true,
        restartPending: false,
      });
    });
    it('changes nothing while a restart or the first start is under way', () => {
      container
        .given([...running, restartRequested()])
        .when(restart)
        .then([]);
      container.given([scheduled]).when(restart).then([]);
    });
    it('answers not_found for a deleted, unknown or other tenant’s container', () => {
      container.given(deleted).when(restart).thenFails('not_found');
      container.given([]).when(restart).thenFails('not_found');
      container
        .given(running)
        .when({ ...restart, tenantId: otherTenantId })
        .thenFails('not_found');
    });
  });

  describe('DeleteContainer', () => {
    it('asks for it to be stopped and removed', () => {
      container
        .given(running)
        .when(remove())
        .then([deleteRequested(t3)]);
      container
        .given([...running, stopRequested(), stopped(t2)])
        .when(remove({ reason: 'scaled-down', timeoutSeconds: 3 }))
        .then([deleteRequested(t3, 'scaled-down', 3)]);
    });
    it('refuses a container already deleted or removed with not_found', () => {
      container.given(deleted).when(remove()).thenFails('not_found');
      container.given(gone).when(remove()).thenFails('not_found');
    });
    it('answers not_found for an unknown or other tenant’s container', () => {
      container.given([]).when(remove()).thenFails('not_found');
      container.given(running).when(remove({}, otherTenantId)).thenFails('not_found');
    });
    it('keeps the reason for the ContainerRemoved that follows', () =>
      expect(fold(containerDecider, [...running, deleteRequested(t2, 'scaled-down')])).toMatchObject({
        desired: 'deleted',
        stopReason: 'scaled-down',
      }));
  });
});
