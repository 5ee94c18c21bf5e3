import type { StorageSeries, StorageUsage } from './meter.events';

/** Byte-milliseconds one stored thing held in [start, end): each size times how long it lasted. */
export function byteMsIn(series: StorageSeries, start: number, end: number): bigint {
  let total = 0n;
  series.points.forEach((point, index) => {
    const next = series.points[index + 1];
    const from = Math.max(Date.parse(point.at), start);
    const to = Math.min(next ? Date.parse(next.at) : end, end);
    if (to > from) total += BigInt(point.bytes) * BigInt(to - from);
  });
  return total;
}

/** What every stored thing of a meter held in [start, end), by kind. */
export function storageUsageIn(
  storage: Readonly<Record<string, StorageSeries>>,
  start: number,
  end: number,
): StorageUsage {
  let volume = 0n;
  let image = 0n;
  for (const series of Object.values(storage)) {
    const byteMs = byteMsIn(series, start, end);
    if (series.kind === 'volume') volume += byteMs;
    else image += byteMs;
  }
  return { volumeByteMs: volume.toString(), imageByteMs: image.toString() };
}
