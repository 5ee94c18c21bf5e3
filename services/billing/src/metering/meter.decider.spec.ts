import { spec } from '@caas/domain/src/decider-spec';
import { hourlyUsage } from './hourly-usage';
import { meterDecider, type MeterCommand } from './meter.decider';
import type { MeterEvent } from './meter.events';

const tenantId = 't-1';
const H = (time: string) => `2026-11-22T${time}.000Z`;
const start = (containerId: string, hostId: string, cpus: number, memoryMb: number, at: string): MeterCommand => ({
  kind: 'RecordContainerStarted',
  tenantId,
  containerId,
  hostId,
  cpus,
  memoryMb,
  at: H(at),
});
const end = (containerId: string, at: string, reason: 'stopped' | 'died' | 'removed' = 'stopped'): MeterCommand => ({
  kind: 'RecordContainerEnded',
  tenantId,
  containerId,
  reason,
  at: H(at),
});
const close = (hour: string): MeterCommand => ({ kind: 'CloseHour', tenantId, hour: H(`${hour}:00:00`) });
const hostDown = (hostId: string, at: string): MeterCommand => ({
  kind: 'RecordHostDown',
  tenantId,
  hostId,
  at: H(at),
});

/** Decides each command on the state the events so far make, as the command handler does; every event recorded. */
function run(commands: readonly MeterCommand[]): MeterEvent[][] {
  let state = meterDecider.initialState();
  return commands.map((command) => {
    const events = meterDecider.decide(command, state);
    state = events.reduce(meterDecider.evolve, state);
    return [...events];
  });
}

const MIN = 60_000;

describe('the meter: a scripted day, checked against hand-computed hourly rows', () => {
  const day: MeterCommand[] = [
    start('c1', 'h1', 1, 512, '09:30:00'),
    close('09'),
    start('c2', 'h2', 0.5, 1024, '10:15:00'),
    end('c1', '10:45:00'),
    end('c1', '10:45:00'), // redelivered
    close('10'),
    end('c2', '11:20:00', 'removed'), // resized: replaced by c3 with more of everything
    start('c3', 'h2', 2, 2048, '11:20:00'),
    close('11'),
    start('c4', 'h1', 1, 256, '11:50:00'), // late: hour 11 is closed
    hostDown('h2', '12:10:00'), // c3's host fails
    close('12'),
    end('c4', '12:30:00'), // late: hour 12 is closed
    start('c3', 'h2', 2, 2048, '11:20:00'), // redelivered start of a run that is over
    close('13'),
    close('12'), // the clock retried
  ];
  const recorded = run(day);

  it('records nothing for redeliveries and retried closes', () => {
    expect(recorded[4]).toEqual([]);
    expect(recorded[13]).toEqual([]);
    expect(recorded[15]).toEqual([]);
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
    const m = (minutes: number) => BigInt(minutes * MIN);
    expect(hourlyUsage(recorded.flat())).toEqual([
      // c1 30 min × (1 vCPU, 512 MB)
      { hour: H('09:00:00'), containerMs: m(30), milliCpuMs: m(30) * 1000n, memoryMbMs: m(30) * 512n },
      // c1 45 min (1000 m, 512 MB) + c2 45 min (500 m, 1024 MB)
      {
        hour: H('10:00:00'),
        containerMs: m(90),
        milliCpuMs: m(45) * 1000n + m(45) * 500n,
        memoryMbMs: m(45) * 512n + m(45) * 1024n,
      },
      // c2 20 min + c3 40 min (2000 m, 2048 MB) + c4's late 10 min (1000 m, 256 MB)
      {
        hour: H('11:00:00'),
        containerMs: m(70),
        milliCpuMs: m(20) * 500n + m(40) * 2000n + m(10) * 1000n,
        memoryMbMs: m(20) * 1024n + m(40) * 2048n + m(10) * 256n,
      },
      // c3 10 min until its host went down; c4 the whole hour, then 30 min taken back
      {
        hour: H('12:00:00'),
        containerMs: m(10) + m(60) - m(30),
        milliCpuMs: m(10) * 2000n + m(30) * 1000n,
        memoryMbMs: m(10) * 2048n + m(30) * 256n,
      },
    ]);
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
