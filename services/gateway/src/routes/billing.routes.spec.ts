import { randomUUID } from 'node:crypto';
import {
  BILLING,
  TENANCY,
  type ErrorBody,
  type FinanceInvoicesView,
  type FinanceUsageView,
  type InvoiceView,
  type TenantRole,
} from '@caas/contracts';
import { fromHeaders, type RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { type PrivateNats, startPrivateNats } from '@caas/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, type NatsConnection } from 'nats';
import { createGatewayApp } from '../app';
import type { UserPrincipal } from '../auth/principal';
import { TokenService } from '../auth/token.service';
import { testGatewayConfig } from '../testing/test-config';

/*
 * The billing and finance routes of the real gateway app, on a nats-server of this
 * file's own. A plain NATS responder here stands in for the billing service (queue group
 * `billing`, answering `{ id, response | err, isDisposed }` as a Nest microservice does)
 * and for tenancy's membership and API-key checks. It records what reached it, so the
 * tests see the subject, the payload and the RequestMeta the gateway sent.
 * Without a nats-server binary the tests are skipped: on the shared NATS a real billing
 * service in the same queue group could answer instead of the stub.
 */

const tenantA = randomUUID();
const tenantB = randomUUID();
const memberId = randomUUID();
const API_KEY = `caas_${randomUUID().replace(/-/g, '')}`;
const apiKeyId = randomUUID();
const ISSUED_PERIOD = '2026-11';

interface Received {
  readonly subject: string;
  readonly data: Record<string, unknown>;
  readonly meta: RequestMeta;
}
type Answer = { response: unknown } | { err: ErrorBody };

let nats: PrivateNats | null = null;
let responder: NatsConnection;
let app: NestFastifyApplication;
let tokens: TokenService;
const received: Received[] = [];

/** Answers `subject` like a Nest microservice in queue group `queue`. */
function answer(subject: string, queue: string, handle: (request: Received) => Answer): void {
  responder.subscribe(subject, {
    queue,
    callback: (_error, message) => {
      const packet = message.json<{ id: string; data: Record<string, unknown> }>();
      const request = { subject, data: packet.data, meta: fromHeaders(message.headers) };
      if (queue === 'billing') received.push(request);
      message.respond(JSON.stringify({ id: packet.id, ...handle(request), isDisposed: true }));
    },
  });
}

const invoiceOf = (tenantId: string, invoiceId: string, total: string, lines: InvoiceView['lines']): InvoiceView => ({
  invoiceId,
  tenantId,
  period: ISSUED_PERIOD,
  currency: 'EUR',
  lines,
  total,
  issuedAt: '2026-12-01T00:05:00.000Z',
});

const financeInvoices: FinanceInvoicesView = {
  period: ISSUED_PERIOD,
  invoices: [
    invoiceOf(tenantA, 'inv-a', '29.027000', [
      {
        unit: 'monthlyFee',
        planId: 'pro',
        priceVersion: 1,
        quantity: '720',
        unitPrice: '0.040278',
        amount: '29.000000',
      },
      { unit: 'vcpu', planId: 'pro', priceVersion: 2, quantity: '1.5', unitPrice: '0.018000', amount: '0.027000' },
    ]),
    invoiceOf(tenantB, 'inv-b', '0.000000', [
      { unit: 'monthlyFee', planId: 'free', priceVersion: 1, quantity: '720', unitPrice: '0', amount: '0.000000' },
    ]),
  ],
  totals: [{ currency: 'EUR', amount: '29.027000' }],
  reconciliation: [
    { tenantId: tenantA, currency: 'EUR', metered: '29.027000', invoiced: '29.027000', matches: true },
    { tenantId: tenantB, currency: 'EUR', metered: '0.000000', invoiced: '0.000000', matches: true },
  ],
};

const financeUsage: FinanceUsageView = {
  period: ISSUED_PERIOD,
  tenants: [
    {
      tenantId: tenantA,
      currency: 'EUR',
      containerHours: '720',
      vcpuHours: '1.5',
      memoryGbHours: '360',
      volumeGbMonths: '10',
      imageStorageGbMonths: '0.25',
      charge: '29.027000',
    },
    {
      tenantId: tenantB,
      currency: 'EUR',
      containerHours: '0',
      vcpuHours: '0',
      memoryGbHours: '0',
      volumeGbMonths: '0',
      imageStorageGbMonths: '0',
      charge: '0.000000',
    },
  ],
  totals: [{ currency: 'EUR', amount: '29.027000' }],
};

/** The billing service as the stub plays it: tenant answers echo the meta's tenant. */
function answerBilling(): void {
  const ok = (response: unknown): Answer => ({ response });
  answer(BILLING.currentBill, 'billing', ({ meta }) =>
    ok({ tenantId: meta.tenantId, period: '2026-12', total: '1.000000' }),
  );
  answer(BILLING.listInvoices, 'billing', ({ meta }) => ok([invoiceOf(meta.tenantId!, 'inv-a', '29.027000', [])]));
  answer(BILLING.getInvoice, 'billing', ({ data, meta }) =>
    data.period === ISSUED_PERIOD
      ? ok(invoiceOf(meta.tenantId!, 'inv-a', '29.027000', []))
      : { err: { code: 'not_found', message: `No invoice for ${String(data.period)} yet` } },
  );
  answer(BILLING.tenantUsage, 'billing', ({ data, meta }) => ok({ tenantId: meta.tenantId, period: data.period }));
  answer(BILLING.financeInvoices, 'billing', () => ok(financeInvoices));
  answer(BILLING.financeUsage, 'billing', () => ok(financeUsage));
  answer(BILLING.listPrices, 'billing', () => ok([{ planId: 'pro', versions: [] }]));
  answer(BILLING.definePrices, 'billing', ({ data }) => ok({ ...data, version: 2, definedAt: '2026-11-20T00:00:00Z' }));
  answer(BILLING.reratePeriod, 'billing', ({ data }) => ok({ reratingId: 'r-1', period: data.period, invoices: [] }));
  answer(BILLING.listReratings, 'billing', ({ data }) => ok([{ reratingId: 'r-1', period: data.period }]));
}

/** Tenancy, as far as the gateway asks it: every user is a member of tenant A; one API key. */
function answerTenancy(role: TenantRole): void {
  answer(TENANCY.membership, 'tenancy', ({ data, meta }) =>
    data.tenantId === tenantA
      ? { response: { tenantId: tenantA, userId: meta.actor.id, role } }
      : { err: { code: 'not_found', message: 'Not a member' } },
  );
  answer(TENANCY.verifyApiKey, 'tenancy', ({ data }) =>
    data.secret === API_KEY
      ? { response: { keyId: apiKeyId, tenantId: tenantA, role: 'admin' } }
      : { err: { code: 'unauthenticated', message: 'Invalid API key' } },
  );
}

beforeAll(async () => {
  nats = await startPrivateNats();
  if (!nats) return;
  responder = await connect({ servers: nats.url });
  answerBilling();
  answerTenancy('viewer');
  await responder.flush();
  const config = testGatewayConfig({ natsUrl: nats.url });
  tokens = new TokenService(config.jwtSecret);
  app = await createGatewayApp(config);
});

afterAll(async () => {
  await app?.close();
  await responder?.close();
  await nats?.stop();
});

beforeEach(() => (received.length = 0));

const onPrivateNats = (name: string, test: () => Promise<void>) =>
  it(name, async () => {
    if (!nats) return console.warn(`skipped (no nats-server binary for a private NATS): ${name}`);
    await test();
  });

/** A user token; with `tenantId`, scoped to it (the Authenticator asks the stub's tenancy). */
function bearer(options: { userId?: string; platformRoles?: UserPrincipal['platformRoles']; tenantId?: string } = {}) {
  const user = {
    userId: options.userId ?? randomUUID(),
    email: 'u@example.com',
    platformRoles: options.platformRoles ?? [],
  };
  const userToken = tokens.issueUserToken(user).token;
  if (!options.tenantId) return `Bearer ${userToken}`;
  const principal = tokens.verify(userToken);
  return `Bearer ${tokens.issueTenantToken(principal, { tenantId: options.tenantId, userId: user.userId, role: 'viewer' }).token}`;
}

const get = (url: string, authorization: string) => app.inject({ method: 'GET', url, headers: { authorization } });
const post = (url: string, authorization: string, payload?: object) =>
  app.inject({ method: 'POST', url, headers: { authorization }, ...(payload ? { payload } : {}) });

describe('tenant billing routes', () => {
  onPrivateNats(
    'forward the caller’s tenant, actor and role in the meta, and answer what billing answered',
    async () => {
      const authorization = bearer({ userId: memberId, tenantId: tenantA });
      const cases = [
        ['/v1/billing/current', BILLING.currentBill, {}],
        ['/v1/billing/invoices', BILLING.listInvoices, {}],
        [`/v1/billing/invoices/${ISSUED_PERIOD}`, BILLING.getInvoice, { period: ISSUED_PERIOD }],
        [`/v1/billing/usage?period=${ISSUED_PERIOD}`, BILLING.tenantUsage, { period: ISSUED_PERIOD }],
      ] as const;
      for (const [url] of cases) {
        const response = await get(url, authorization);
        expect(response.statusCode).toBe(200);
        expect(JSON.stringify(response.json())).toContain(tenantA);
      }
      expect(received.map(({ subject, data }) => ({ subject, data }))).toEqual(
        cases.map(([, subject, data]) => ({ subject, data })),
      );
      for (const { meta } of received) {
        expect(meta).toMatchObject({ tenantId: tenantA, actor: { type: 'user', id: memberId }, roles: ['viewer'] });
      }
    },
  );

  onPrivateNats('take an API key of the tenant too', async () => {
    const response = await get('/v1/billing/current', `Bearer ${API_KEY}`);
    expect(response.statusCode).toBe(200);
    expect(received[0].meta).toMatchObject({ tenantId: tenantA, actor: { type: 'api-key', id: apiKeyId } });
  });

  onPrivateNats('refuse a token not scoped to a tenant (403), without asking billing', async () => {
    const response = await get('/v1/billing/invoices', bearer({ platformRoles: ['finance'] }));
    expect(response.statusCode).toBe(403);
    expect(received).toEqual([]);
  });

  onPrivateNats('pass billing’s not_found through as 404 with its message', async () => {
    const response = await get('/v1/billing/invoices/2026-12', bearer({ tenantId: tenantA }));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', message: 'No invoice for 2026-12 yet' });
  });

  onPrivateNats('answer a period that is not a month with 400 naming period', async () => {
    const authorization = bearer({ tenantId: tenantA });
    for (const url of ['/v1/billing/invoices/2026-13', '/v1/billing/usage?period=2026-13', '/v1/billing/usage']) {
      const response = await get(url, authorization);
      expect(response.statusCode).toBe(400);
      expect(response.json().violations).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'period' })]),
      );
    }
    expect(received).toEqual([]);
  });
});

describe('finance routes', () => {
  const financeUser = () => bearer({ platformRoles: ['finance'] });

  onPrivateNats('refuse a plain user, a tenant member and an API key (403), without asking billing', async () => {
    for (const authorization of [bearer(), bearer({ tenantId: tenantA }), `Bearer ${API_KEY}`]) {
      for (const url of [
        `/v1/finance/invoices?period=${ISSUED_PERIOD}`,
        `/v1/finance/usage.csv?period=${ISSUED_PERIOD}`,
      ]) {
        const response = await get(url, authorization);
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ code: 'forbidden' });
      }
      expect((await post(`/v1/finance/periods/${ISSUED_PERIOD}/reratings`, authorization)).statusCode).toBe(403);
    }
    expect(received).toEqual([]);
  });

  onPrivateNats('act in no tenant with platform roles only, for finance and platform-admin', async () => {
    const financeId = randomUUID();
    // A finance user holding a tenant token: the tenant and its role stay out of the meta.
    const inTenant = bearer({ userId: financeId, platformRoles: ['finance'], tenantId: tenantA });
    const invoices = await get(`/v1/finance/invoices?period=${ISSUED_PERIOD}`, inTenant);
    expect(invoices.statusCode).toBe(200);
    expect(invoices.json()).toEqual(financeInvoices);
    const admin = await get(`/v1/finance/usage?period=${ISSUED_PERIOD}`, bearer({ platformRoles: ['platform-admin'] }));
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toEqual(financeUsage);

    expect(received.map(({ subject, data }) => ({ subject, data }))).toEqual([
      { subject: BILLING.financeInvoices, data: { period: ISSUED_PERIOD } },
      { subject: BILLING.financeUsage, data: { period: ISSUED_PERIOD } },
    ]);
    expect(received[0].meta).toMatchObject({
      tenantId: null,
      actor: { type: 'user', id: financeId },
      roles: ['finance'],
    });
    expect(received[1].meta).toMatchObject({ tenantId: null, roles: ['platform-admin'] });
  });

  onPrivateNats('export the invoices as CSV, one record per invoice line', async () => {
    const response = await get(`/v1/finance/invoices.csv?period=${ISSUED_PERIOD}`, financeUser());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="invoices-2026-11.csv"');
    expect(response.body).toBe(
      'period,tenantId,invoiceId,currency,unit,planId,priceVersion,quantity,unitPrice,amount\r\n' +
        `2026-11,${tenantA},inv-a,EUR,monthlyFee,pro,1,720,0.040278,29.000000\r\n` +
        `2026-11,${tenantA},inv-a,EUR,vcpu,pro,2,1.5,0.018000,0.027000\r\n` +
        `2026-11,${tenantB},inv-b,EUR,monthlyFee,free,1,720,0,0.000000\r\n`,
    );
    expect(received.map(({ subject, data }) => ({ subject, data }))).toEqual([
      { subject: BILLING.financeInvoices, data: { period: ISSUED_PERIOD } },
    ]);
  });

  onPrivateNats('export the usage as CSV, one record per tenant', async () => {
    const response = await get(`/v1/finance/usage.csv?period=${ISSUED_PERIOD}`, financeUser());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="usage-2026-11.csv"');
    expect(response.body).toBe(
      'period,tenantId,currency,containerHours,vcpuHours,memoryGbHours,volumeGbMonths,imageStorageGbMonths,charge\r\n' +
        `2026-11,${tenantA},EUR,720,1.5,360,10,0.25,29.027000\r\n` +
        `2026-11,${tenantB},EUR,0,0,0,0,0,0.000000\r\n`,
    );
  });

  onPrivateNats('answer a missing or bad period with 400 naming period, in JSON also for CSV', async () => {
    const authorization = financeUser();
    for (const url of [
      '/v1/finance/invoices?period=2026-13',
      '/v1/finance/usage',
      '/v1/finance/invoices.csv?period=2026-13',
      '/v1/finance/usage.csv',
      '/v1/finance/periods/2026-13/reratings',
    ]) {
      const response = await get(url, authorization);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json().violations).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'period' })]),
      );
    }
    expect((await post('/v1/finance/periods/2026-13/reratings', authorization)).statusCode).toBe(400);
    expect(received).toEqual([]);
  });

  onPrivateNats('list and define prices (201), validating the body', async () => {
    const authorization = financeUser();
    const listed = await get('/v1/finance/prices', authorization);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([{ planId: 'pro', versions: [] }]);

    const definition = {
      planId: 'pro',
      effectiveFrom: '2026-12-01T00:00:00Z',
      prices: {
        currency: 'EUR',
        monthlyFee: '29.00',
        containerHour: '0.002',
        vcpuHour: '0.018',
        memoryGbHour: '0.004',
        volumeGbMonth: '0.10',
        imageStorageGbMonth: '0.05',
      },
    };
    const defined = await post('/v1/finance/prices', authorization, definition);
    expect(defined.statusCode).toBe(201);
    expect(defined.json()).toMatchObject({ planId: 'pro', version: 2 });
    expect(received.map(({ subject }) => subject)).toEqual([BILLING.listPrices, BILLING.definePrices]);
    expect(received[1].data).toEqual(definition);

    const invalid = await post('/v1/finance/prices', authorization, {
      ...definition,
      prices: { ...definition.prices, currency: 'euro' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().violations).toEqual([expect.objectContaining({ field: 'prices.currency' })]);
    expect(received).toHaveLength(2);
  });

  onPrivateNats('re-rate a period (201) and list its re-ratings', async () => {
    const authorization = financeUser();
    const rerated = await post(`/v1/finance/periods/${ISSUED_PERIOD}/reratings`, authorization);
    expect(rerated.statusCode).toBe(201);
    expect(rerated.json()).toMatchObject({ reratingId: 'r-1', period: ISSUED_PERIOD });
    const listed = await get(`/v1/finance/periods/${ISSUED_PERIOD}/reratings`, authorization);
    expect(listed.statusCode).toBe(200);
    expect(received.map(({ subject, data }) => ({ subject, data }))).toEqual([
      { subject: BILLING.reratePeriod, data: { period: ISSUED_PERIOD } },
      { subject: BILLING.listReratings, data: { period: ISSUED_PERIOD } },
    ]);
  });
});

describe('OpenAPI', () => {
  onPrivateNats('documents the billing and finance routes', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/billing/current',
        '/v1/billing/invoices',
        '/v1/billing/invoices/{period}',
        '/v1/billing/usage',
        '/v1/finance/invoices',
        '/v1/finance/invoices.csv',
        '/v1/finance/usage',
        '/v1/finance/usage.csv',
        '/v1/finance/prices',
        '/v1/finance/periods/{period}/reratings',
      ]),
    );
    expect(document.paths['/v1/finance/invoices.csv'].get.responses['200'].content).toHaveProperty(
      'text/csv; charset=utf-8',
    );
    expect(document.components.schemas.FinanceInvoicesViewDto.properties).toHaveProperty('reconciliation');
  });
});
