import { spec } from '@caas/domain/src/decider-spec';
import { hourlyUsage } from './hourly-usage';
import { meterDecider, type MeterCommand } from './meter.decider';
import type { MeterEvent } from './meter.events';
import {
  H,
  MIN,
  NO_OP_STEPS,
  SCRIPTED_DAY,
  SCRIPTED_DAY_HOURS,
  GiB,
  close,
  end,
  image,
  plan,
  start,
  tenantId,
  volume,
} from './test-support/scripted-day';

/** Decides each command on the state the events so far make, as the command handler does; every event recorded. */
function run(commands: readonly MeterCommand[]): MeterEvent[][] {
  let state = meterDecider.initialState();
  return commands.map((command) => {
    const events = meterDecider.decide(command, state);
    state = events.reduce(meterDecider.evolve, state);
    return [...events];
  });
}

describe('the meter: a scripted day, checked against hand-computed hourly rows', () => {
  const day = SCRIPTED_DAY;
  const recorded = run(day);

  it('records nothing for redeliveries and retried closes', () => {
    for (const step of NO_OP_STEPS) expect(recorded[step]).toEqual([]);
  });

  it('corrects closed hours for late facts, naming why', () => {
    expect(recorded[13]).toContainEqual({
      type: 'UsageCorrected',
      data: {
        tenantId,
        hour: H('11:00:00'),
        reason: 'late start',
        containerId: 'c4',
        milliCpus: 1000,
        memoryMb: 256,
        ms: 10 * MIN,
      },
    });
    expect(recorded[18]).toContainEqual({
      type: 'UsageCorrected',
      data: {
        tenantId,
        hour: H('12:00:00'),
        reason: 'late stopped',
        containerId: 'c4',
        milliCpus: 1000,
        memoryMb: 256,
        ms: -30 * MIN,
      },
    });
    expect(recorded[14]).toEqual([
      { type: 'MeteringEnded', data: { tenantId, containerId: 'c3', at: H('12:10:00'), reason: 'host-down' } },
    ]);
  });

  it('adds up to the hourly rows computed by hand', () => {
    expect(hourlyUsage(recorded.flat())).toEqual(SCRIPTED_DAY_HOURS);
  });

  it('gives the same rows whatever order the facts of an open hour came in', () => {
    const reordered = run([
      start('c1', 'h1', 1, 512, '09:30:00'),
      close('09'),
      end('c1', '10:45:00'),
      start('c2', 'h2', 0.5, 1024, '10:15:00'),
      close('10'),
    ]);
    const inOrder = run([
      start('c1', 'h1', 1, 512, '09:30:00'),
      close('09'),
      start('c2', 'h2', 0.5, 1024, '10:15:00'),
      end('c1', '10:45:00'),
      close('10'),
    ]);
    expect(hourlyUsage(reordered.flat())).toEqual(hourlyUsage(inOrder.flat()));
  });
});

describe('meter decider, one command at a time', () => {
  const meter = spec(meterDecider);
  const started: MeterEvent = {
    type: 'MeteringStarted',
    data: { tenantId, containerId: 'c1', hostId: 'h1', milliCpus: 500, memoryMb: 64, at: H('09:30:00') },
  };

  it('closes hours in order only', () => {
    meter.given([started]).when(close('11')).thenFails('conflict');
    meter.given([]).when(close('09')).then([]);
  });

  it('ignores the end of a container that does not run, and an end older than its start', () => {
    meter.given([]).when(end('c1', '10:00:00')).then([]);
    meter.given([started]).when(end('c1', '09:00:00')).then([]);
  });

  it('counts a restart after a stop as a new run', () => {
    const stopped: MeterEvent = {
      type: 'MeteringEnded',
      data: { tenantId, containerId: 'c1', at: H('09:40:00'), reason: 'stopped' },
    };
    meter
      .given([started, stopped])
      .when(start('c1', 'h1', 0.5, 64, '09:50:00'))
      .then([{ type: 'MeteringStarted', data: { ...started.data, at: H('09:50:00') } }]);
  });
});

describe('meter decider: plans, storage and the tenant leaving', () => {
  const meter = spec(meterDecider);
  const onPro: MeterEvent = { type: 'PlanRecorded', data: { tenantId, planId: 'pro', at: H('09:05:00') } };
  const closed09: MeterEvent = {
    type: 'HourClosed',
    data: { tenantId, hour: H('09:00:00'), planId: 'pro', usage: [], storage: { volumeByteMs: '0', imageByteMs: '0' } },
  };
  const running: MeterEvent = {
    type: 'MeteringStarted',
    data: { tenantId, containerId: 'c1', hostId: 'h1', milliCpus: 500, memoryMb: 64, at: H('09:30:00') },
  };
  const stored = (key: string, bytes: number, at: string, kind: 'volume' | 'image' = 'volume'): MeterEvent => ({
    type: 'StorageRecorded',
    data: { tenantId, kind, key, bytes, at: H(at) },
  });

  it('opens the meter at the hour of the tenant’s first plan, and closes empty hours on it', () => {
    meter.given([onPro]).when(close('09')).then([closed09]);
  });

  it('takes a late plan change from the next open hour: closed hours keep their plan', () => {
    meter
      .given([onPro, closed09])
      .when(plan('enterprise', '09:50:00'))
      .then([{ type: 'PlanRecorded', data: { tenantId, planId: 'enterprise', at: H('10:00:00') } }]);
  });

  it('ignores a measurement older than the last one, and a 0 for a volume never seen', () => {
    meter
      .given([onPro, stored('volume:h1/data', GiB, '09:40:00')])
      .when(volume('data', 2 * GiB, '09:20:00'))
      .then([]);
    meter
      .given([onPro])
      .when(volume('data', 0, '09:20:00'))
      .then([]);
  });

  it('clears every image of a removed repository', () => {
    meter
      .given([
        onPro,
        stored('image:r1@sha256:a', 10, '09:10:00', 'image'),
        stored('image:r2@sha256:b', 20, '09:10:00', 'image'),
      ])
      .when({ kind: 'RecordStorageCleared', tenantId, keyPrefix: 'image:r1@', at: H('09:30:00') })
      .then([stored('image:r1@sha256:a', 0, '09:30:00', 'image')]);
  });

  it('ends what runs and is stored when the tenant is deleted, then closes nothing after that hour', () => {
    const departed: MeterEvent = { type: 'TenantDeparted', data: { tenantId, at: H('09:45:00') } };
    meter
      .given([onPro, running, stored('volume:h1/data', GiB, '09:40:00')])
      .when({ kind: 'RecordTenantDeleted', tenantId, at: H('09:45:00') })
      .then([
        { type: 'MeteringEnded', data: { tenantId, containerId: 'c1', at: H('09:45:00'), reason: 'tenant-deleted' } },
        stored('volume:h1/data', 0, '09:45:00'),
        departed,
      ]);
    meter.given([onPro, departed, closed09]).when(close('10')).then([]);
    meter
      .given([onPro, departed])
      .when(image('sha256:a', 5, '09:50:00'))
      .then([]);
  });
});

describe('meter decider: a container’s own end after a host failure or the deletion ended it', () => {
  const meter = spec(meterDecider);
  const running: MeterEvent = {
    type: 'MeteringStarted',
    data: { tenantId, containerId: 'c1', hostId: 'h1', milliCpus: 1000, memoryMb: 512, at: H('09:30:00') },
  };
  const deleted: MeterEvent = {
    type: 'MeteringEnded',
    data: { tenantId, containerId: 'c1', at: H('10:30:00'), reason: 'tenant-deleted' },
  };
  const closed09: MeterEvent = {
    type: 'HourClosed',
    data: {
      tenantId,
      hour: H('09:00:00'),
      planId: 'pro',
      usage: [{ containerId: 'c1', milliCpus: 1000, memoryMb: 512, ms: 30 * MIN }],
      storage: { volumeByteMs: '0', imageByteMs: '0' },
    },
  };

  it('ends the run at its own time while its hours are open', () => {
    meter
      .given([running, deleted])
      .when(end('c1', '10:10:00'))
      .then([
        {
          type: 'MeteringEndCorrected',
          data: { tenantId, containerId: 'c1', previousEnd: H('10:30:00'), at: H('10:10:00'), reason: 'stopped' },
        },
      ]);
    const recorded = run([
      start('c1', 'h1', 1, 512, '09:30:00'),
      { kind: 'RecordTenantDeleted', tenantId, at: H('10:30:00') },
      end('c1', '10:10:00'),
      close('09'),
      close('10'),
    ]);
    expect(hourlyUsage(recorded.flat()).map((hour) => hour.containerMs)).toEqual([BigInt(30 * MIN), BigInt(10 * MIN)]);
  });

  it('gives back what closed hours counted after it', () => {
    meter
      .given([running, closed09, deleted])
      .when(end('c1', '09:45:00'))
      .then([
        {
          type: 'MeteringEndCorrected',
          data: { tenantId, containerId: 'c1', previousEnd: H('10:30:00'), at: H('09:45:00'), reason: 'stopped' },
        },
        {
          type: 'UsageCorrected',
          data: {
            tenantId,
            hour: H('09:00:00'),
            reason: 'late stopped',
            containerId: 'c1',
            milliCpus: 1000,
            memoryMb: 512,
            ms: -15 * MIN,
          },
        },
      ]);
  });

  it('ignores an end after the platform’s, a redelivery, and any end of a run the container ended itself', () => {
    meter.given([running, deleted]).when(end('c1', '10:40:00')).then([]);
    const corrected: MeterEvent = {
      type: 'MeteringEndCorrected',
      data: { tenantId, containerId: 'c1', previousEnd: H('10:30:00'), at: H('10:10:00'), reason: 'stopped' },
    };
    meter.given([running, deleted, corrected]).when(end('c1', '10:10:00')).then([]);
    const stopped: MeterEvent = { type: 'MeteringEnded', data: { ...deleted.data, reason: 'stopped' } };
    meter.given([running, stopped]).when(end('c1', '10:10:00')).then([]);
  });
});
