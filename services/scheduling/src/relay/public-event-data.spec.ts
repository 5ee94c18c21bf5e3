import type { RecordedEvent } from '@caas/event-store';
import { MASKED, publicEventData } from './public-event-data';
import { RELAYED_EVENT_TYPES } from './relayed-events';

function recorded(type: string, data: unknown): RecordedEvent {
  return { type, data } as RecordedEvent;
}

describe('publicEventData', () => {
  const template = { image: 'web:1', env: { DATABASE_PASSWORD: 's3cret', LOG_LEVEL: 'info' }, resources: { cpus: 1 } };

  it.each(['ServiceCreated', 'ServiceUpdated'])('masks every env value of %s, keeping the names', (type) => {
    const event = recorded(type, { serviceId: 's-1', revision: 2, template });
    expect(publicEventData(event)).toEqual({
      serviceId: 's-1',
      revision: 2,
      template: { image: 'web:1', env: { DATABASE_PASSWORD: MASKED, LOG_LEVEL: MASKED }, resources: { cpus: 1 } },
    });
    // The stored event is not touched: the read models and the deciders need it whole.
    expect(template.env.DATABASE_PASSWORD).toBe('s3cret');
    expect(JSON.stringify(publicEventData(event))).not.toContain('s3cret');
  });

  it('leaves a template without env, and every other event, as stored', () => {
    const withoutEnv = recorded('ServiceCreated', { template: { image: 'web:1' } });
    expect(publicEventData(withoutEnv)).toBe(withoutEnv.data);
    const scaled = recorded('ServiceScaled', { replicas: 3 });
    expect(publicEventData(scaled)).toBe(scaled.data);
  });
});

describe('RELAYED_EVENT_TYPES', () => {
  it('holds every public event and no private one', () => {
    expect(RELAYED_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'ContainerScheduled',
        'ServiceCreated',
        'HostRegistered',
        'PlacementFailed',
        'VolumeMeasured',
      ]),
    );
    for (const secret of ['ContainerSpecRecorded', 'ReplicaStarted', 'HostCredentialsRecorded']) {
      expect(RELAYED_EVENT_TYPES).not.toContain(secret);
    }
    expect(new Set(RELAYED_EVENT_TYPES).size).toBe(RELAYED_EVENT_TYPES.length);
  });
});
