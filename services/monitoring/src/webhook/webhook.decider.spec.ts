import { MAX_WEBHOOKS_PER_TENANT } from '@caas/contracts';
import { spec } from '@caas/domain/src/decider-spec';
import { webhookDecider } from './webhook.decider';
import type { WebhookEvent } from './webhook.events';
import type { WebhookCaller } from './webhook.guards';

const webhooks = spec(webhookDecider);
const tenantId = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const otherTenantId = '9a0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const webhookId = 'd0000000-0000-4000-8000-000000000001';
const redeliveryId = 'e0000000-0000-4000-8000-000000000001';
const at = '2026-11-22T06:00:00.000Z';
const url = 'https://hooks.example.com/caas';
const as = (role: WebhookCaller['role'], tenant = tenantId): WebhookCaller => ({ tenantId: tenant, role });

const registered: WebhookEvent = {
  type: 'WebhookRegistered',
  data: { tenantId, webhookId, url, eventTypes: ['Container*'], description: 'deploys', registeredAt: at },
};
const disabled: WebhookEvent = {
  type: 'WebhookUpdated',
  data: { tenantId, webhookId, url, eventTypes: ['Container*'], description: 'deploys', enabled: false },
};
const removed: WebhookEvent = { type: 'WebhookRemoved', data: { tenantId, webhookId } };

describe('webhook decider', () => {
  describe('RegisterWebhook', () => {
    const register = (caller: WebhookCaller, webhooksOfTenant = 0, eventTypes = ['Container*', 'Container*']) =>
      ({
        kind: 'RegisterWebhook',
        caller,
        webhookId,
        url,
        eventTypes,
        description: 'deploys',
        webhooksOfTenant,
        at,
      }) as const;

    it('an owner or admin registers it, filters recorded once each', () => {
      webhooks
        .given([])
        .when(register(as('owner')))
        .then([registered]);
      webhooks
        .given([])
        .when(register(as('admin')))
        .then([registered]);
    });

    it('a developer or viewer may not; the same id twice is a conflict', () => {
      webhooks
        .given([])
        .when(register(as('developer')))
        .thenFails('forbidden');
      webhooks
        .given([])
        .when(register(as('viewer')))
        .thenFails('forbidden');
      webhooks
        .given([registered])
        .when(register(as('owner')))
        .thenFails('conflict');
    });

    it(`refuses a tenant's ${MAX_WEBHOOKS_PER_TENANT + 1}th webhook`, () => {
      webhooks
        .given([])
        .when(register(as('owner'), MAX_WEBHOOKS_PER_TENANT - 1))
        .then([registered]);
      webhooks
        .given([])
        .when(register(as('owner'), MAX_WEBHOOKS_PER_TENANT))
        .thenFails('quota_exceeded', /at most 20/);
    });
  });

  describe('UpdateWebhook', () => {
    it('records the whole new settings', () => {
      webhooks
        .given([registered])
        .when({ kind: 'UpdateWebhook', caller: as('admin'), webhookId, enabled: false })
        .then([disabled]);
      webhooks
        .given([registered, disabled])
        .when({ kind: 'UpdateWebhook', caller: as('owner'), webhookId, eventTypes: ['*'], enabled: true })
        .then([
          {
            type: 'WebhookUpdated',
            data: { tenantId, webhookId, url, eventTypes: ['*'], description: 'deploys', enabled: true },
          },
        ]);
    });

    it('records nothing when nothing changes', () => {
      webhooks
        .given([registered])
        .when({ kind: 'UpdateWebhook', caller: as('owner'), webhookId, url, eventTypes: ['Container*'] })
        .then([]);
    });

    it('another tenant’s or a removed one is not found; a developer may not', () => {
      const update = (caller: WebhookCaller) => ({ kind: 'UpdateWebhook', caller, webhookId, enabled: false }) as const;
      webhooks
        .given([registered])
        .when(update(as('owner', otherTenantId)))
        .thenFails('not_found');
      webhooks
        .given([registered, removed])
        .when(update(as('owner')))
        .thenFails('not_found');
      webhooks
        .given([])
        .when(update(as('owner')))
        .thenFails('not_found');
      webhooks
        .given([registered])
        .when(update(as('developer')))
        .thenFails('forbidden');
    });
  });

  describe('RotateWebhookSecret', () => {
    const rotate = (caller: WebhookCaller) => ({ kind: 'RotateWebhookSecret', caller, webhookId, at }) as const;

    it('records when, never the secret', () => {
      webhooks
        .given([registered])
        .when(rotate(as('owner')))
        .then([{ type: 'WebhookSecretRotated', data: { tenantId, webhookId, rotatedAt: at } }]);
    });

    it('another tenant’s is not found; a viewer may not', () => {
      webhooks
        .given([registered])
        .when(rotate(as('owner', otherTenantId)))
        .thenFails('not_found');
      webhooks
        .given([registered])
        .when(rotate(as('viewer')))
        .thenFails('forbidden');
    });
  });

  describe('RemoveWebhook', () => {
    const remove = (caller: WebhookCaller) => ({ kind: 'RemoveWebhook', caller, webhookId }) as const;

    it('a manager removes it, once', () => {
      webhooks
        .given([registered])
        .when(remove(as('admin')))
        .then([removed]);
      webhooks
        .given([registered, removed])
        .when(remove(as('admin')))
        .thenFails('not_found');
    });

    it('another tenant’s is not found', () => {
      webhooks
        .given([registered])
        .when(remove(as('owner', otherTenantId)))
        .thenFails('not_found');
    });
  });

  describe('RequestWebhookRedelivery', () => {
    const redeliver = (caller: WebhookCaller, fromSequence: number, toSequence = 40) =>
      ({ kind: 'RequestWebhookRedelivery', caller, webhookId, redeliveryId, fromSequence, toSequence }) as const;

    it('records the range up to the last sequence when asked', () => {
      webhooks
        .given([registered])
        .when(redeliver(as('owner'), 7))
        .then([
          {
            type: 'WebhookRedeliveryRequested',
            data: { tenantId, webhookId, redeliveryId, fromSequence: 7, toSequence: 40 },
          },
        ]);
    });

    it('refuses a start below 1 or past the last sequence, naming fromSequence', () => {
      webhooks
        .given([registered])
        .when(redeliver(as('owner'), 0))
        .thenFails('validation', /fromSequence/);
      webhooks
        .given([registered])
        .when(redeliver(as('owner'), 41))
        .thenFails('validation', /fromSequence/);
    });

    it('another tenant’s is not found, a disabled one is a conflict, a developer may not', () => {
      webhooks
        .given([registered])
        .when(redeliver(as('owner', otherTenantId), 1))
        .thenFails('not_found');
      webhooks
        .given([registered, disabled])
        .when(redeliver(as('owner'), 1))
        .thenFails('conflict');
      webhooks
        .given([registered])
        .when(redeliver(as('developer'), 1))
        .thenFails('forbidden');
    });
  });
});
