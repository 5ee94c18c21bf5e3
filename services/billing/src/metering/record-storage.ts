import type { MeterEvent, MeterState, StorageKind } from './meter.events';

/**
 * A storage fact: a volume's measured size (VolumeMeasured), an image manifest pushed or
 * deleted (ImagePushed, ImageDeleted). `key` names the stored thing within the tenant.
 */
export interface RecordStorage {
  readonly kind: 'RecordStorage';
  readonly tenantId: string;
  readonly storageKind: StorageKind;
  readonly key: string;
  readonly bytes: number;
  readonly at: string;
}

/** Every stored thing whose key starts with `keyPrefix` is gone (RepositoryRemoved). */
export interface RecordStorageCleared {
  readonly kind: 'RecordStorageCleared';
  readonly tenantId: string;
  readonly keyPrefix: string;
  readonly at: string;
}

/**
 * The thing's size from `at` on. The same size again (a redelivery, an unchanged
 * measurement), an older measurement than the last recorded, a 0 for a thing never
 * seen, or anything after the tenant is gone: nothing recorded.
 */
export function recordStorage(command: RecordStorage, state: MeterState): MeterEvent[] {
  const { tenantId, storageKind, key, bytes, at } = command;
  const last = state.storage[key]?.points.at(-1);
  if (state.departedAt !== null || (last ? last.bytes === bytes : bytes === 0)) return [];
  if (last && Date.parse(at) < Date.parse(last.at)) return [];
  return [{ type: 'StorageRecorded', data: { tenantId, kind: storageKind, key, bytes, at: effectiveAt(at, state) } }];
}

export function recordStorageCleared(command: RecordStorageCleared, state: MeterState): MeterEvent[] {
  const { tenantId, keyPrefix, at } = command;
  return Object.keys(state.storage)
    .filter((key) => key.startsWith(keyPrefix))
    .sort()
    .flatMap((key) =>
      recordStorage(
        { kind: 'RecordStorage', tenantId, storageKind: state.storage[key]!.kind, key, bytes: 0, at },
        state,
      ),
    );
}

/**
 * When a plan or storage fact takes effect: at its time, or — if that hour is already
 * closed (it came late) — when the next open hour starts. Closed hours stay as closed;
 * a rebuild reads the same time from the event.
 */
export function effectiveAt(at: string, state: MeterState): string {
  const { closedThrough } = state;
  return closedThrough && Date.parse(at) < Date.parse(closedThrough) ? closedThrough : at;
}
