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
  close,
  end,
  start,
  tenantId,
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
    expect(recorded[9]).toContainEqual({
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
    expect(recorded[12]).toContainEqual({
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
    expect(recorded[10]).toEqual([
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
