import type { RegistryNotificationEventV1 } from '@caas/contracts';
import { registryFactOf } from './registry-notification';

const TENANT = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const event = (action: string, target: Record<string, unknown>): RegistryNotificationEventV1 => ({
  id: 'e1',
  timestamp: '2026-11-22T05:00:00.123456789Z',
  action,
  target,
  actor: { name: 'user:u1' },
});

describe('registryFactOf (what a registry notification event records)', () => {
  it('a tagged manifest pushed into a tenant namespace', () => {
    expect(
      registryFactOf(event('push', { repository: `${TENANT}/web`, digest: DIGEST, mediaType: MANIFEST, tag: '1' })),
    ).toEqual({
      kind: 'pushed',
      eventId: 'e1',
      repository: `${TENANT}/web`,
      tenantId: TENANT,
      tag: '1',
      digest: DIGEST,
      mediaType: MANIFEST,
      at: '2026-11-22T05:00:00.123Z',
      by: 'user:u1',
    });
  });

  it('a manifest deleted; the market has no tenant', () => {
    expect(registryFactOf(event('delete', { repository: 'library/nginx', digest: DIGEST }))).toMatchObject({
      kind: 'deleted',
      tenantId: null,
      digest: DIGEST,
    });
  });

  it.each([
    ['a pull', event('pull', { repository: `${TENANT}/web`, digest: DIGEST, mediaType: MANIFEST, tag: '1' })],
    [
      'a blob push',
      event('push', { repository: `${TENANT}/web`, digest: DIGEST, mediaType: 'application/octet-stream' }),
    ],
    [
      'a manifest pushed by digest only',
      event('push', { repository: `${TENANT}/web`, digest: DIGEST, mediaType: MANIFEST }),
    ],
    [
      'a name outside any namespace',
      event('push', { repository: 'acme/web', digest: DIGEST, mediaType: MANIFEST, tag: '1' }),
    ],
    ['a malformed digest', event('delete', { repository: `${TENANT}/web`, digest: 'sha256:xyz' })],
  ])('nothing for %s', (_, notification) => {
    expect(registryFactOf(notification)).toBeUndefined();
  });
});
