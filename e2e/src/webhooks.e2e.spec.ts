import { eventually } from '@caas/testing';
import type { Api, Json } from './support/api';
import { Platform } from './support/platform';
import { WebhookReceiverEndpoint, verifyWebhook } from './support/webhook-receiver';

/*
 * Tenant webhooks through the real gateway: a receiver that verifies every signature
 * fails the first attempt and gets the retry, the deliveries log shows both, a
 * redelivery from a position brings the event again, and another tenant sees none of it.
 */

const ADMIN = { email: 'webhooks-e2e-admin@example.com', password: 'webhooks e2e admin password' };
const SETTLED = { timeoutMs: 30_000, intervalMs: 200 };

describe('tenant webhooks (gateway, tenancy, monitoring as child processes; a real receiver)', () => {
  let platform: Platform;
  let api: Api;
  let receiver: WebhookReceiverEndpoint;
  let alice: { tenantId: string; token: string };
  let bob: { tenantId: string; token: string };

  const tenantOf = async (label: string) => {
    const user = await api.signUp(label);
    return api.createTenant(user.token);
  };
  const deliveries = async (token: string, webhookId: string) =>
    (await api.expect(200, 'GET', `/v1/webhooks/${webhookId}/deliveries`, { token })).body as Json[];
  const bodyOf = (body: string) => JSON.parse(body) as Json;

  beforeAll(async () => {
    platform = await Platform.start({
      admin: ADMIN,
      monitoring: true,
      monitoringEnv: { MONITORING_WEBHOOK_ALLOW_HOSTS: '127.0.0.1', MONITORING_WEBHOOK_BACKOFF_MS: '200' },
    });
    api = platform.api;
    receiver = await WebhookReceiverEndpoint.start();
    alice = await tenantOf('alice');
    bob = await tenantOf('bob');
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  it('refuses URLs to private hosts and plain http, naming url and the rule', async () => {
    for (const url of ['https://10.0.0.1/hook', 'https://localhost/hook', 'http://hooks.example.com/hook']) {
      const refused = await api.call('POST', '/v1/webhooks', { token: alice.token, body: { url, eventTypes: ['*'] } });
      expect(refused.status).toBe(400);
      expect(refused.body.violations).toEqual([expect.objectContaining({ field: 'url', rule: 'public_https' })]);
    }
    const badFilter = await api.call('POST', '/v1/webhooks', {
      token: alice.token,
      body: { url: receiver.url('/x'), eventTypes: ['caas.events.>'] },
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.violations[0].field).toBe('eventTypes');
  });

  it('a webhook receiver verifies the signature and gets redelivery after a failure; another tenant sees none of it', async () => {
    receiver.answer('/alice', (nth) => (nth === 1 ? 500 : 200));
    const registered = await api.expect(201, 'POST', '/v1/webhooks', {
      token: alice.token,
      body: { url: receiver.url('/alice'), eventTypes: ['TenantRenamed'], description: 'renames' },
    });
    const webhookId = registered.body.webhookId as string;
    expect(registered.body.secret).toMatch(/^whsec_/);
    receiver.secretFor('/alice', registered.body.secret);
    const bobs = await api.expect(201, 'POST', '/v1/webhooks', {
      token: bob.token,
      body: { url: receiver.url('/bob'), eventTypes: ['*'] },
    });
    receiver.secretFor('/bob', bobs.body.secret);
    // The secret is answered by register (and rotate) only.
    const shown = await api.expect(200, 'GET', `/v1/webhooks/${webhookId}`, { token: alice.token });
    expect(shown.body).toMatchObject({ webhookId, eventTypes: ['TenantRenamed'], enabled: true });
    expect(shown.body.secret).toBeUndefined();

    await api.expect(200, 'PATCH', '/v1/tenant', { token: bob.token, body: { name: 'Bob renamed' } });
    await api.expect(200, 'PATCH', '/v1/tenant', { token: alice.token, body: { name: 'Alice renamed' } });

    // The first attempt got a 500; the retry, signed anew, a 200.
    const [delivery] = await eventually(
      () => deliveries(alice.token, webhookId),
      (list) => list[0]?.status === 'delivered',
      SETTLED,
    );
    expect(delivery.eventType).toBe('TenantRenamed');
    expect(delivery.attempts.map((attempt: Json) => attempt.statusCode)).toEqual([500, 200]);
    const attempts = receiver.on('/alice');
    expect(attempts).toHaveLength(2);
    expect(attempts.every((request) => request.verified)).toBe(true);
    const event = bodyOf(attempts[1].body);
    expect(event).toMatchObject({
      id: delivery.eventId,
      sequence: delivery.sequence,
      type: 'TenantRenamed',
      context: 'tenancy',
      tenantId: alice.tenantId,
      data: { tenantId: alice.tenantId, name: 'Alice renamed' },
    });
    expect(attempts[1].headers['caas-event-id']).toBe(event.id);
    expect(attempts[1].headers['caas-delivery-id']).toBe(delivery.deliveryId);

    // A redelivery from the event's position brings the same event id again, as a new delivery.
    const redelivery = await api.expect(201, 'POST', `/v1/webhooks/${webhookId}/redeliveries`, {
      token: alice.token,
      body: { fromSequence: event.sequence },
    });
    expect(redelivery.body).toMatchObject({ webhookId, fromSequence: event.sequence });
    const log = await eventually(
      () => deliveries(alice.token, webhookId),
      (list) => list.length === 2 && list.every((entry: Json) => entry.status === 'delivered'),
      SETTLED,
    );
    const again = log.find((entry: Json) => entry.redeliveryId === redelivery.body.redeliveryId);
    expect(again).toMatchObject({ eventId: event.id, status: 'delivered' });
    expect(again.deliveryId).not.toBe(delivery.deliveryId);
    const third = receiver.on('/alice')[2];
    expect(third.verified).toBe(true);
    expect(third.headers['caas-event-id']).toBe(event.id);
    expect(third.headers['caas-delivery-id']).toBe(again.deliveryId);

    // Bob: Alice's webhook does not exist for him, and his events never reach it.
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/${webhookId}`],
      ['GET', `/v1/webhooks/${webhookId}/deliveries`],
      ['PATCH', `/v1/webhooks/${webhookId}`, { enabled: false }],
      ['POST', `/v1/webhooks/${webhookId}/rotate-secret`],
      ['POST', `/v1/webhooks/${webhookId}/redeliveries`, { fromSequence: 1 }],
      ['DELETE', `/v1/webhooks/${webhookId}`],
    ] as const) {
      const answer = await api.call(method, path, { token: bob.token, body });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }
    const bobsList = (await api.expect(200, 'GET', '/v1/webhooks', { token: bob.token })).body as Json[];
    expect(bobsList.map((webhook) => webhook.webhookId)).toEqual([bobs.body.webhookId]);
    const bobsRename = await eventually(
      async () => receiver.on('/bob').map((request) => bodyOf(request.body)),
      (events) => events.some((received) => received.type === 'TenantRenamed'),
      SETTLED,
    );
    expect(bobsRename.every((received) => received.tenantId === bob.tenantId)).toBe(true);
    expect(receiver.on('/bob').every((request) => request.verified)).toBe(true);
    expect(receiver.on('/alice').every((request) => bodyOf(request.body).tenantId === alice.tenantId)).toBe(true);
    expect(receiver.on('/alice')).toHaveLength(3);
  });

  it('rotates the secret: the next delivery verifies under the new one, not the old', async () => {
    const registered = await api.expect(201, 'POST', '/v1/webhooks', {
      token: alice.token,
      body: { url: receiver.url('/rotated'), eventTypes: ['EnvironmentCreated'] },
    });
    const webhookId = registered.body.webhookId as string;
    const rotated = await api.expect(200, 'POST', `/v1/webhooks/${webhookId}/rotate-secret`, { token: alice.token });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(registered.body.secret);
    expect(rotated.body.secretRotatedAt).toEqual(expect.any(String));
    receiver.secretFor('/rotated', rotated.body.secret);

    await api.expect(201, 'POST', '/v1/environments', { token: alice.token, body: { name: 'staging' } });
    const [request] = await eventually(
      async () => receiver.on('/rotated'),
      (list) => list.length === 1,
      SETTLED,
    );
    expect(request.verified).toBe(true);
    const signature = request.headers['caas-signature'] as string;
    expect(verifyWebhook(registered.body.secret, signature, request.body)).toBe(false);

    await api.expect(200, 'DELETE', `/v1/webhooks/${webhookId}`, { token: alice.token });
    await api.expect(404, 'GET', `/v1/webhooks/${webhookId}`, { token: alice.token });
  });
});
