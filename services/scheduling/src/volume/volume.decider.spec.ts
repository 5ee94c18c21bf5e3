import { spec } from '@caas/domain/src/decider-spec';
import { volumeDecider } from './volume.decider';
import { type VolumeEvent, volumeId } from './volume.events';

const volume = spec(volumeDecider);
const tenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000001';
const hostId = 'b0000000-0000-4000-8000-000000000001';
const volumeName = 'data';
const t0 = '2026-11-22T10:00:00.000Z';
const t1 = '2026-11-22T10:05:00.000Z';
const t2 = '2026-11-22T10:10:00.000Z';

const record = (sizeBytes: number, at = t1) =>
  ({ kind: 'RecordVolumeSize', tenantId, hostId, volumeName, sizeBytes, at }) as const;
const measured = (sizeBytes: number, measuredAt = t1): VolumeEvent => ({
  type: 'VolumeMeasured',
  data: { tenantId, hostId, volumeName, sizeBytes, measuredAt },
});

describe('volume decider', () => {
  describe('RecordVolumeSize', () => {
    it('always records the first measurement', () =>
      volume
        .given([])
        .when(record(1_048_576))
        .then([measured(1_048_576)]));

    it('records a size that changed', () =>
      volume
        .given([measured(1_048_576, t0)])
        .when(record(2_000_000))
        .then([measured(2_000_000)]));

    it('records nothing for an unchanged size', () =>
      volume
        .given([measured(1_048_576, t0)])
        .when(record(1_048_576))
        .then([]));

    it('records a volume gone from its host as 0, once', () => {
      volume
        .given([measured(1_048_576, t0)])
        .when(record(0))
        .then([measured(0)]);
      volume
        .given([measured(1_048_576, t0), measured(0, t1)])
        .when(record(0, t2))
        .then([]);
    });

    it('records nothing for a 0 of a volume never measured', () => volume.given([]).when(record(0)).then([]));

    it('records a volume that comes back after 0', () =>
      volume
        .given([measured(10, t0), measured(0, t1)])
        .when(record(10, t2))
        .then([measured(10, t2)]));

    it('records nothing for a measurement no newer than the last recorded one (another instance, late)', () => {
      volume
        .given([measured(1_048_576, t1)])
        .when(record(5, t0))
        .then([]);
      volume
        .given([measured(1_048_576, t1)])
        .when(record(5, t1))
        .then([]);
    });

    it.each([-1, 1.5, Number.NaN])('refuses the size %p', (sizeBytes) =>
      volume
        .given([])
        .when(record(sizeBytes))
        .thenFails('validation', /sizeBytes/),
    );

    it('refuses a time that is not one', () =>
      volume
        .given([])
        .when(record(1, 'yesterday'))
        .thenFails('validation', /ISO 8601/));

    it("refuses another tenant's volume in this stream", () =>
      volume
        .given([measured(10, t0)])
        .when({ ...record(20), tenantId: '0b8e7f6a-1111-4c1d-9e2f-000000000002' })
        .thenFails('conflict'));
  });

  it('derives one stream id per host and engine volume name', () => {
    const name = `caas-${tenantId}-${volumeName}`;
    expect(volumeId(hostId, name)).toBe(volumeId(hostId, name));
    expect(volumeId(hostId, name)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(volumeId(hostId, name)).not.toBe(volumeId('b0000000-0000-4000-8000-000000000002', name));
    expect(volumeId(hostId, name)).not.toBe(volumeId(hostId, `${name}2`));
  });
});
