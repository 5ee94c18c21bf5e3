import { tenantVolumeName } from '../policy/names';
import { type VolumeState, volumeId } from './volume.events';
import { volumeReadings } from './volume-readings';

const hostId = 'b0000000-0000-4000-8000-000000000001';
const tenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000001';
const at = '2026-11-22T10:05:00.000Z';
const engineName = (name: string) => tenantVolumeName(tenantId, name);
const recordedAs = (name: string, sizeBytes: number): [string, VolumeState] => [
  volumeId(hostId, engineName(name)),
  { measured: true, tenantId, hostId, volumeName: name, sizeBytes, measuredAt: '2026-11-22T10:00:00.000Z' },
];
const command = (volumeName: string, sizeBytes: number) => ({
  volumeId: volumeId(hostId, engineName(volumeName)),
  command: { kind: 'RecordVolumeSize', tenantId, hostId, volumeName, sizeBytes, at },
});

describe('volume readings of one host', () => {
  it('reads tenant volumes (names with dashes too) and leaves every other volume alone', () => {
    const usage = [
      { name: engineName('db-data'), sizeBytes: 1_048_576 },
      { name: '3f1a9c0d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c', sizeBytes: 4_096 }, // anonymous
      { name: 'caas-not-a-tenant-data', sizeBytes: 10 },
      { name: `caas-${tenantId}-`, sizeBytes: 10 }, // no name of its own
      { name: `caas-${tenantId}_x`, sizeBytes: 10 },
    ];
    expect(volumeReadings(hostId, usage, new Map(), at)).toEqual([command('db-data', 1_048_576)]);
  });

  it('reads only sizes that changed since the last recorded one', () => {
    const usage = [
      { name: engineName('same'), sizeBytes: 100 },
      { name: engineName('grew'), sizeBytes: 200 },
    ];
    const recorded = new Map([recordedAs('same', 100), recordedAs('grew', 100)]);
    expect(volumeReadings(hostId, usage, recorded, at)).toEqual([command('grew', 200)]);
  });

  it('reads a volume recorded above 0 and gone from the engine as 0, and one already at 0 not again', () => {
    const recorded = new Map([recordedAs('gone', 100), recordedAs('gone-before', 0)]);
    expect(volumeReadings(hostId, [], recorded, at)).toEqual([command('gone', 0)]);
  });

  it('skips an empty volume never recorded, and a size the engine could not compute without zeroing it', () => {
    const usage = [
      { name: engineName('empty'), sizeBytes: 0 },
      { name: engineName('unknown'), sizeBytes: null },
    ];
    expect(volumeReadings(hostId, usage, new Map([recordedAs('unknown', 100)]), at)).toEqual([]);
  });
});
