import type { SchedulingEvent } from '@caas/contracts';
import { meterCommandsOf } from './lifecycle-facts';

const fact = {
  tenantId: 't-1',
  environmentId: 'e-1',
  containerId: 'c-1',
  serviceId: null,
  replica: null,
  hostId: 'h-1',
  resources: { cpus: 0.5, memoryMb: 256, pidsLimit: 128 },
  at: '2026-11-22T10:00:00.000Z',
};
const nobody = () => [];

describe('meterCommandsOf: scheduling lifecycle events as meter commands', () => {
  it('a start opens the container’s interval with its reservation', () => {
    expect(meterCommandsOf({ type: 'ContainerStarted', data: fact }, nobody)).toEqual([
      {
        kind: 'RecordContainerStarted',
        tenantId: 't-1',
        containerId: 'c-1',
        hostId: 'h-1',
        cpus: 0.5,
        memoryMb: 256,
        at: fact.at,
      },
    ]);
  });

  it.each<[SchedulingEvent, string]>([
    [{ type: 'ContainerStopped', data: { ...fact, reason: 'requested' } }, 'stopped'],
    [{ type: 'ContainerDied', data: { ...fact, exitCode: 137, oomKilled: false } }, 'died'],
    [{ type: 'ContainerRemoved', data: { ...fact, reason: 'requested' } }, 'removed'],
  ])('%j ends it', (event, reason) => {
    expect(meterCommandsOf(event, nobody)).toEqual([
      { kind: 'RecordContainerEnded', tenantId: 't-1', containerId: 'c-1', reason, at: fact.at },
    ]);
  });

  it('a host going down reaches every tenant that ran something there', () => {
    const event: SchedulingEvent = {
      type: 'HostDown',
      data: { tenantId: null, hostId: 'h-1', capacity: { cpus: 2, memoryMb: 4096 }, lastSeenAt: fact.at, at: fact.at },
    };
    expect(meterCommandsOf(event, () => ['t-1', 't-2']).map((command) => command.tenantId)).toEqual(['t-1', 't-2']);
  });

  it('a measured volume stores its size, keyed by its host and name', () => {
    const event: SchedulingEvent = {
      type: 'VolumeMeasured',
      data: { tenantId: 't-1', hostId: 'h-1', volumeName: 'data', sizeBytes: 2 ** 30, measuredAt: fact.at },
    };
    expect(meterCommandsOf(event, nobody)).toEqual([
      {
        kind: 'RecordStorage',
        tenantId: 't-1',
        storageKind: 'volume',
        key: 'volume:h-1/data',
        bytes: 2 ** 30,
        at: fact.at,
      },
    ]);
  });

  it('anything else is nothing to billing', () => {
    expect(
      meterCommandsOf(
        { type: 'HostUp', data: { tenantId: null, hostId: 'h-1', capacity: { cpus: 2, memoryMb: 1 }, at: fact.at } },
        nobody,
      ),
    ).toEqual([]);
  });
});
