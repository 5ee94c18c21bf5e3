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

export const plan = (planId: string, at: string): MeterCommand => ({ kind: 'RecordPlan', tenantId, planId, at: H(at) });
export const volume = (name: string, bytes: number, at: string): MeterCommand => ({
  kind: 'RecordStorage',
  tenantId,
  storageKind: 'volume',
  key: `volume:h1/${name}`,
  bytes,
  at: H(at),
});
export const image = (digest: string, bytes: number, at: string): MeterCommand => ({
  kind: 'RecordStorage',
  tenantId,
  storageKind: 'image',
  key: `image:r1@${digest}`,
  bytes,
  at: H(at),
});

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/** Indexes of commands that must record nothing (a redelivery, a retried close, an unchanged size). */
export const NO_OP_STEPS = [7, 19, 20, 22, 23];

export const SCRIPTED_DAY: readonly MeterCommand[] = [
  plan('pro', '09:05:00'), // the tenant is created on pro
  start('c1', 'h1', 1, 512, '09:30:00'),
  image('sha256:a', 100 * MiB, '09:45:00'),
  close('09'),
  start('c2', 'h2', 0.5, 1024, '10:15:00'),
  volume('data', GiB, '10:30:00'),
  end('c1', '10:45:00'),
  end('c1', '10:45:00'), // redelivered
  close('10'),
  end('c2', '11:20:00', 'removed'), // resized: replaced by c3 with more of everything
  start('c3', 'h2', 2, 2048, '11:20:00'),
  volume('data', 2 * GiB, '11:30:00'), // the volume grew
  close('11'),
  start('c4', 'h1', 1, 256, '11:50:00'), // late: hour 11 is closed
  hostDown('h2', '12:10:00'), // c3's host fails
  image('sha256:a', 0, '12:15:00'), // the image is deleted
  plan('enterprise', '12:40:00'), // upgrade: hour 12 is billed on enterprise
  close('12'),
  end('c4', '12:30:00'), // late: hour 12 is closed
  start('c3', 'h2', 2, 2048, '11:20:00'), // redelivered start of a run that is over
  volume('data', 2 * GiB, '13:10:00'), // measured again, unchanged
  close('13'),
  close('12'), // the clock retried
  plan('enterprise', '12:40:00'), // redelivered
];

const m = (minutes: number) => BigInt(minutes * MIN);
const bytes = (count: number) => BigInt(count);

/** The day's hourly rows, computed by hand. */
export const SCRIPTED_DAY_HOURS = [
  // pro; c1 30 min × (1 vCPU, 512 MB); the image 15 min × 100 MiB
  {
    hour: H('09:00:00'),
    planId: 'pro',
    containerMs: m(30),
    milliCpuMs: m(30) * 1000n,
    memoryMbMs: m(30) * 512n,
    volumeByteMs: 0n,
    imageByteMs: m(15) * bytes(100 * MiB),
  },
  // c1 45 min (1000 m, 512 MB) + c2 45 min (500 m, 1024 MB); the volume 30 min × 1 GiB; the image all hour
  {
    hour: H('10:00:00'),
    planId: 'pro',
    containerMs: m(90),
    milliCpuMs: m(45) * 1000n + m(45) * 500n,
    memoryMbMs: m(45) * 512n + m(45) * 1024n,
    volumeByteMs: m(30) * bytes(GiB),
    imageByteMs: m(60) * bytes(100 * MiB),
  },
  // c2 20 min + c3 40 min (2000 m, 2048 MB) + c4's late 10 min (1000 m, 256 MB); the volume 30 min at 1 GiB, 30 at 2
  {
    hour: H('11:00:00'),
    planId: 'pro',
    containerMs: m(70),
    milliCpuMs: m(20) * 500n + m(40) * 2000n + m(10) * 1000n,
    memoryMbMs: m(20) * 1024n + m(40) * 2048n + m(10) * 256n,
    volumeByteMs: m(30) * bytes(GiB) + m(30) * bytes(2 * GiB),
    imageByteMs: m(60) * bytes(100 * MiB),
  },
  // enterprise from 12:40; c3 10 min until its host went down; c4 the whole hour, then 30 min taken back;
  // the volume 60 min × 2 GiB; the image until 12:15
  {
    hour: H('12:00:00'),
    planId: 'enterprise',
    containerMs: m(10) + m(60) - m(30),
    milliCpuMs: m(10) * 2000n + m(30) * 1000n,
    memoryMbMs: m(10) * 2048n + m(30) * 256n,
    volumeByteMs: m(60) * bytes(2 * GiB),
    imageByteMs: m(15) * bytes(100 * MiB),
  },
  // nothing runs; the volume 60 min × 2 GiB
  {
    hour: H('13:00:00'),
    planId: 'enterprise',
    containerMs: 0n,
    milliCpuMs: 0n,
    memoryMbMs: 0n,
    volumeByteMs: m(60) * bytes(2 * GiB),
    imageByteMs: 0n,
  },
];
