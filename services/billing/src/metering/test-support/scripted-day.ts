import type { MeterCommand } from '../meter.decider';

/*
 * A scripted day of one tenant's lifecycle facts, with the hourly rows computed by hand:
 * shared by the decider spec (pure) and the projection spec (real store and database).
 */

export const tenantId = 't-1';
export const MIN = 60_000;
export const H = (time: string) => `2026-11-22T${time}.000Z`;
export const start = (
  containerId: string,
  hostId: string,
  cpus: number,
  memoryMb: number,
  at: string,
): MeterCommand => ({
  kind: 'RecordContainerStarted',
  tenantId,
  containerId,
  hostId,
  cpus,
  memoryMb,
  at: H(at),
});
export const end = (
  containerId: string,
  at: string,
  reason: 'stopped' | 'died' | 'removed' = 'stopped',
): MeterCommand => ({
  kind: 'RecordContainerEnded',
  tenantId,
  containerId,
  reason,
  at: H(at),
});
export const close = (hour: string): MeterCommand => ({ kind: 'CloseHour', tenantId, hour: H(`${hour}:00:00`) });
export const hostDown = (hostId: string, at: string): MeterCommand => ({
  kind: 'RecordHostDown',
  tenantId,
  hostId,
  at: H(at),
});

/** Indexes of commands that must record nothing (a redelivery, a retried close). */
export const NO_OP_STEPS = [4, 13, 15];

export const SCRIPTED_DAY: readonly MeterCommand[] = [
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

const m = (minutes: number) => BigInt(minutes * MIN);

/** The day's hourly rows, computed by hand. */
export const SCRIPTED_DAY_HOURS = [
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
];
