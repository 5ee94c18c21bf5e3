import { randomUUID } from 'node:crypto';
import { type Actor, SYSTEM_ACTOR, type SchedulingEvent, type TenancyEvent } from '@caas/contracts';
import { type IntegrationEvent, encodeIntegrationEvent, eventSubject, integrationEventHeaders } from '@caas/messaging';
import { eventually } from '@caas/testing';
import { type NatsConnection, connect } from 'nats';
import { type Api, type Json, PASSWORD, decodeJwt } from './support/api';
import { Platform } from './support/platform';
import { assertSucceeded, readmeBlock, runBash } from './support/readme';

/*
 * Billing as `npm start` runs it: gateway, tenancy and billing as child processes on a
 * scratch database and a nats-server (JetStream) of this file's own. Two tenants'
 * evening of 31 October 2026 reaches billing as tenancy's and scheduling's relays
 * publish it; billing's clock (real time, three weeks later) closes those hours and
 * issues October's invoices; a finance user, granted the role by the platform admin,
 * reads them over HTTP as JSON and CSV. Every figure is computed by hand below with the
 * default prices: pro = 29 a month, shared over October's 744 hours; 0.001 a
 * container-hour, 0.0125 a vCPU-hour, 0.004 a memory GB-hour (1 GB = 1024 MB); free = 0.
 * Each line is rounded once to six decimals, half away from zero.
 *
 * Tenant A (pro, created 20:00): a1 (1 vCPU, 1024 MB) from 20:00, a2 (0.5 vCPU, 512 MB)
 * from 22:30. Tenant B (free, created 21:00; pro from 22:30): b1 (2 vCPU, 2048 MB) from
 * 21:15. An hour is billed on the plan in force at its end. Both tenants are deleted half
 * an hour into November, their containers stopped with them: the meters end there, so
 * the clock closes a handful of hours, not every hour from then until now (three weeks,
 * about a thousand closes, 20–45 s of billing's time on the development VM). Billing's
 * consumers of tenancy's and of scheduling's facts record in parallel, and a deletion
 * recorded before an earlier stop ends the container at the deletion (the stop is then
 * dropped): no container here stops before its tenant's deletion.
 */

const ADMIN = { email: 'billing-e2e-admin@example.com', password: 'billing e2e admin password' };
const PERIOD = '2026-10';
const T = (time: string) => `2026-10-31T${time}:00.000Z`;
const DELETED = '2026-11-01T00:30:00.000Z';
const A = randomUUID();
const B = randomUUID();

const line = (unit: string, planId: string, quantity: string, unitPrice: string, amount: string) => ({
  unit,
  planId,
  priceVersion: 1,
  quantity,
  unitPrice,
  amount,
});

/** A's invoice: hours 20, 21, 22 and 23 on pro. */
const A_LINES = [
  line('monthlyFee', 'pro', '0.005376', '29.000000', '0.155914'), // 4/744 of a month; 29 × 4/744 = 0.15591398
  line('container', 'pro', '5.500000', '0.001000', '0.005500'), // a1 4 h + a2 1.5 h
  line('vcpu', 'pro', '4.750000', '0.012500', '0.059375'), // 1 × 4 h + 0.5 × 1.5 h
  line('memory', 'pro', '4.750000', '0.004000', '0.019000'), // 1 GB × 4 h + 0.5 GB × 1.5 h
];
const A_TOTAL = '0.239789'; // 0.155914 + 0.0055 + 0.059375 + 0.019

/** B's invoice: hour 21 on free (all at 0), hours 22 and 23 on pro; free's lines first. */
const B_LINES = [
  line('monthlyFee', 'free', '0.001344', '0.000000', '0.000000'), // 1/744
  line('container', 'free', '0.750000', '0.000000', '0.000000'), // b1 21:15–22:00
  line('vcpu', 'free', '1.500000', '0.000000', '0.000000'), // 2 × 0.75 h
  line('memory', 'free', '1.500000', '0.000000', '0.000000'), // 2 GB × 0.75 h
  line('monthlyFee', 'pro', '0.002688', '29.000000', '0.077957'), // 29 × 2/744 = 0.07795699
  line('container', 'pro', '2.000000', '0.001000', '0.002000'), // b1 22:00–24:00
  line('vcpu', 'pro', '4.000000', '0.012500', '0.050000'), // 2 × 2 h
  line('memory', 'pro', '4.000000', '0.004000', '0.016000'), // 2 GB × 2 h
];
const B_TOTAL = '0.145957'; // 0.077957 + 0.002 + 0.05 + 0.016
const TOTAL = '0.385746'; // 0.239789 + 0.145957

/** A decimal amount with six places as integer millionths, to add up exactly. */
const micros = (amount: string): bigint => BigInt(amount.replace('.', ''));
const sumOf = (amounts: readonly string[]): bigint => amounts.reduce((sum, amount) => sum + micros(amount), 0n);

type Fact = TenancyEvent | SchedulingEvent;

describe('billing end to end: facts on JetStream to invoices, and finance over HTTP (child processes)', () => {
  let platform: Platform;
  let api: Api;
  let nc: NatsConnection;
  let finance: { userId: string; email: string; staleToken: string; token: string };
  let granted: Json;
  /** A user with a tenant of its own, created through the API; no finance role. */
  let owner: { token: string; tenantId: string; tenantToken: string };

  /** Revision of each stream published to, as the owning service's store numbers them. */
  const revisions = new Map<string, number>();
  let position = 0;

  /**
   * Publishes `fact` on CAAS_EVENTS as the `context` service's EventRelay does: subject
   * `caas.events.<context>.<type>`, Nats-Msg-Id the event id, the IntegrationEvent body
   * and the Caas-* headers; revisions numbered per stream as the owner's store does.
   */
  async function publish(
    context: 'tenancy' | 'scheduling',
    streamId: string,
    fact: Fact,
    created: string,
    { actor = SYSTEM_ACTOR }: { actor?: Actor } = {},
  ): Promise<string> {
    const id = randomUUID();
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    position += 1;
    const event: IntegrationEvent = {
      id,
      type: fact.type,
      streamId,
      revision: String(revision),
      position: `${position}/${position}`,
      data: fact.data,
      metadata: {
        tenantId: (fact.data as { tenantId?: string }).tenantId ?? null,
        actor,
        correlationId: id,
        causationId: id,
        schemaVersion: 1,
      },
      created,
    };
    await nc.jetstream().publish(eventSubject(context, fact.type), encodeIntegrationEvent(event), {
      msgID: id,
      headers: integrationEventHeaders(event),
    });
    return id;
  }

  const tenantCreated = (tenantId: string, planId: string, at: string) => {
    const ownerUserId = randomUUID();
    const data = { tenantId, name: `tenant ${tenantId.slice(0, 8)}`, planId, ownerUserId };
    return publish('tenancy', `tenant-${tenantId}`, { type: 'TenantCreated', data }, T(at), {
      actor: { type: 'user', id: ownerUserId },
    });
  };
  const container = (tenantId: string, containerId: string, cpus: number, memoryMb: number) => {
    const fact = {
      tenantId,
      environmentId: randomUUID(),
      containerId,
      serviceId: null,
      replica: null,
      hostId: 'host-1',
      resources: { cpus, memoryMb, pidsLimit: 256 },
    };
    const stream = `container-${containerId}`;
    return {
      started: (at: string) =>
        publish('scheduling', stream, { type: 'ContainerStarted', data: { ...fact, at: T(at) } }, T(at)),
      stopped: (at: string) =>
        publish('scheduling', stream, { type: 'ContainerStopped', data: { ...fact, reason: 'requested', at } }, at),
    };
  };

  const financeInvoices = (token: string) => api.call('GET', `/v1/finance/invoices?period=${PERIOD}`, { token });

  /** A CSV route's answer as text (Api parses JSON). */
  async function download(path: string, token: string): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  beforeAll(async () => {
    platform = await Platform.start({ admin: ADMIN, billing: true });
    api = platform.api;
    nc = await connect({ servers: platform.nats.url, name: 'billing-e2e' });

    // The platform admin grants finance to a user who signed up; only a new login carries it.
    const user = await api.signUp('finance');
    const adminToken = await api.login(ADMIN.email, ADMIN.password);
    granted = (
      await api.expect(200, 'POST', '/v1/admin/platform-roles', {
        token: adminToken,
        body: { email: user.email, role: 'finance' },
      })
    ).body;
    finance = { ...user, staleToken: user.token, token: await api.login(user.email, PASSWORD) };

    const plain = await api.signUp('owner');
    const tenant = await api.createTenant(plain.token);
    owner = { token: plain.token, tenantId: tenant.tenantId, tenantToken: tenant.token };

    // Billing is down while the evening's facts arrive, as after an outage: back, it
    // records every waiting fact before its clock closes an hour (closing while a fact
    // of that hour is still on its way would bill it as a late correction instead).
    await platform.billing!.stop();
    const a1 = container(A, 'a1', 1, 1024);
    const a2 = container(A, 'a2', 0.5, 512);
    const b1 = container(B, 'b1', 2, 2048);
    await tenantCreated(A, 'pro', '20:00');
    await a1.started('20:00');
    await tenantCreated(B, 'free', '21:00');
    await b1.started('21:15');
    await a2.started('22:30');
    await publish(
      'tenancy',
      `tenant-${B}`,
      { type: 'TenantPlanChanged', data: { tenantId: B, planId: 'pro', effectiveAt: T('22:30') } },
      T('22:30'),
    );
    for (const stopped of [a1, a2, b1]) await stopped.stopped(DELETED);
    for (const tenantId of [A, B]) {
      await publish('tenancy', `tenant-${tenantId}`, { type: 'TenantDeleted', data: { tenantId } }, DELETED);
    }
    await platform.billing!.restart();
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
  });

  describe('finance role', () => {
    it('is granted by the platform admin and carried by the tokens of later logins only', async () => {
      expect(granted).toEqual({ userId: finance.userId, email: finance.email, platformRoles: ['finance'] });
      expect(decodeJwt(finance.staleToken).platformRoles).toEqual([]);
      expect(decodeJwt(finance.token).platformRoles).toEqual(['finance']);
      expect((await financeInvoices(finance.staleToken)).status).toBe(403);
      expect((await financeInvoices(finance.token)).status).toBe(200);
    });

    it('refuses users without it, with a tenant token too, on every finance route', async () => {
      for (const token of [owner.token, owner.tenantToken]) {
        for (const path of ['invoices', 'usage', 'invoices.csv', 'usage.csv']) {
          const answer = await api.call('GET', `/v1/finance/${path}?period=${PERIOD}`, { token });
          expect([path, answer.status, answer.body?.code]).toEqual([path, 403, 'forbidden']);
        }
        expect((await api.call('GET', '/v1/finance/prices', { token })).status).toBe(403);
      }
      // And granting is the platform admin's.
      const grant = await api.call('POST', '/v1/admin/platform-roles', {
        token: finance.token,
        body: { email: finance.email, role: 'platform-admin' },
      });
      expect(grant.status).toBe(403);
    });
  });

  describe("once billing has closed October's hours", () => {
    let view: Json;

    beforeAll(async () => {
      // A's hours from 20:00 and B's from 21:00, to November's first, where the meters end;
      // then the invoices of October, which is over.
      view = (
        await eventually(
          () => api.expect(200, 'GET', `/v1/finance/invoices?period=${PERIOD}`, { token: finance.token }),
          ({ body }) => body.invoices.length === 2,
          { timeoutMs: 30_000, intervalMs: 500 },
        )
      ).body;
    }, 60_000);

    it('lists both invoices with the lines and totals computed by hand, reconciled with the metered usage', async () => {
      expect(view.period).toBe(PERIOD);
      const invoices = Object.fromEntries(view.invoices.map((invoice: Json) => [invoice.tenantId, invoice]));
      expect(invoices[A]).toEqual({
        invoiceId: expect.any(String),
        tenantId: A,
        period: PERIOD,
        currency: 'EUR',
        lines: A_LINES,
        total: A_TOTAL,
        issuedAt: expect.any(String),
      });
      expect(invoices[B]).toMatchObject({ tenantId: B, currency: 'EUR', lines: B_LINES, total: B_TOTAL });
      expect(view.totals).toEqual([{ currency: 'EUR', amount: TOTAL }]);
      expect(view.reconciliation).toEqual(
        expect.arrayContaining([
          { tenantId: A, currency: 'EUR', metered: A_TOTAL, invoiced: A_TOTAL, matches: true },
          { tenantId: B, currency: 'EUR', metered: B_TOTAL, invoiced: B_TOTAL, matches: true },
        ]),
      );
      expect(view.reconciliation).toHaveLength(2);
    });

    it('exports the invoices as CSV: one record per invoice line, amounts adding up to the total', async () => {
      const csv = await download(`/v1/finance/invoices.csv?period=${PERIOD}`, finance.token);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="invoices-${PERIOD}.csv"`);
      expect(csv.text.endsWith('\r\n')).toBe(true);
      const [header, ...records] = csv.text
        .slice(0, -2)
        .split('\r\n')
        .map((record) => record.split(','));
      expect(header).toEqual([
        'period',
        'tenantId',
        'invoiceId',
        'currency',
        'unit',
        'planId',
        'priceVersion',
        'quantity',
        'unitPrice',
        'amount',
      ]);
      const invoiceIds = Object.fromEntries(
        view.invoices.map((invoice: Json) => [invoice.tenantId, invoice.invoiceId]),
      );
      const recordsOf = (tenantId: string, lines: typeof A_LINES) =>
        lines.map((line) => [
          PERIOD,
          tenantId,
          invoiceIds[tenantId],
          'EUR',
          line.unit,
          line.planId,
          String(line.priceVersion),
          line.quantity,
          line.unitPrice,
          line.amount,
        ]);
      expect(records).toHaveLength(A_LINES.length + B_LINES.length);
      expect(records).toEqual(expect.arrayContaining([...recordsOf(A, A_LINES), ...recordsOf(B, B_LINES)]));
      expect(sumOf(records.map((record) => record[9]!))).toBe(micros(TOTAL));
    });

    it("gives finance every tenant's usage of the month and what it rates to, as JSON and CSV", async () => {
      const { body: usage } = await api.expect(200, 'GET', `/v1/finance/usage?period=${PERIOD}`, {
        token: finance.token,
      });
      const zero = { volumeGbMonths: '0.000000', imageStorageGbMonths: '0.000000' };
      // October's part only. A: 5.5 container-hours, 4.75 vCPU-hours, 4.75 GB-hours. B: b1's
      // 2.75 hours on either plan, 2 vCPU and 2 GB each, rated on pro for the last 2.
      const expected: Record<string, Record<string, string>> = {
        [A]: { containerHours: '5.500000', vcpuHours: '4.750000', memoryGbHours: '4.750000', ...zero, charge: A_TOTAL },
        [B]: { containerHours: '2.750000', vcpuHours: '5.500000', memoryGbHours: '5.500000', ...zero, charge: B_TOTAL },
      };
      expect(usage.period).toBe(PERIOD);
      expect(usage.tenants).toHaveLength(2);
      expect(usage.tenants).toEqual(
        expect.arrayContaining([
          { tenantId: A, currency: 'EUR', ...expected[A] },
          { tenantId: B, currency: 'EUR', ...expected[B] },
        ]),
      );
      expect(usage.totals).toEqual([{ currency: 'EUR', amount: TOTAL }]);

      const csv = await download(`/v1/finance/usage.csv?period=${PERIOD}`, finance.token);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="usage-${PERIOD}.csv"`);
      const [header, ...records] = csv.text.slice(0, -2).split('\r\n');
      expect(header).toBe(
        'period,tenantId,currency,containerHours,vcpuHours,memoryGbHours,volumeGbMonths,imageStorageGbMonths,charge',
      );
      const row = (tenantId: string) => {
        const u = expected[tenantId]!;
        return [
          PERIOD,
          tenantId,
          'EUR',
          u.containerHours,
          u.vcpuHours,
          u.memoryGbHours,
          '0.000000',
          '0.000000',
          u.charge,
        ];
      };
      expect(records.sort()).toEqual([row(A).join(','), row(B).join(',')].sort());
    });

    it("shows a tenant its own invoices only: a real tenant with no October sees none of the others'", async () => {
      const token = owner.tenantToken;
      expect((await api.expect(200, 'GET', '/v1/billing/invoices', { token })).body).toEqual([]);
      const october = await api.call('GET', `/v1/billing/invoices/${PERIOD}`, { token });
      expect([october.status, october.body.code]).toEqual([404, 'not_found']);
      const usage = await api.expect(200, 'GET', `/v1/billing/usage?period=${PERIOD}`, { token });
      expect(usage.body).toMatchObject({ tenantId: owner.tenantId, period: PERIOD, hours: [] });
      const current = await api.expect(200, 'GET', '/v1/billing/current', { token });
      expect(current.body).toMatchObject({ tenantId: owner.tenantId, period: new Date().toISOString().slice(0, 7) });
    });

    it("runs the README's finance example as written: Finn is granted finance and pulls the month", async () => {
      const result = await runBash(
        readmeBlock('finance'),
        {
          API: `${api.baseUrl}/v1`,
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          PERIOD,
        },
        30_000,
      );
      assertSucceeded("The README's finance example", result);
      const lines = result.stdout.split('\n');
      const objects = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      const [signedUp, grant, invoices, ...more] = objects;
      expect(more).toEqual([]);
      expect(signedUp).toMatchObject({ userId: expect.any(String) });
      expect(grant).toEqual({
        userId: signedUp.userId,
        email: expect.stringMatching(/^finn-\d+@example\.com$/),
        platformRoles: ['finance'],
      });
      expect(invoices).toEqual(view);
      expect(lines.filter((line) => line.startsWith(`${PERIOD},`))).toHaveLength(2);
      expect(result.stdout).toContain(`${PERIOD},${A},EUR,5.500000,4.750000,4.750000,0.000000,0.000000,${A_TOTAL}\r\n`);
    });
  });
});
