import { randomUUID } from 'node:crypto';
import {
  BILLING,
  type CaasError,
  type CurrentBillView,
  type FinanceInvoicesView,
  type FinanceUsageView,
  type InvoiceView,
  type PriceVersionView,
  type ReratingView,
} from '@caas/contracts';
import { eventually } from '@caas/testing';
import { PRO_PRICES } from '../price-book/test-support/prices';
import { DEFAULT_PRICES } from '../price-book/price-book.seed';
import { publishFact } from '../metering/test-support/publish-fact';
import { type BillingUnderTest, platformMeta, startBillingForTest, tenantMeta } from '../testing/billing-test-kit';

/*
 * The whole of billing on real NATS JetStream and PostgreSQL: two tenants' last evening
 * of October published as tenancy's, scheduling's and the registry's relays publish it,
 * hours closed by the clock, invoices issued once the month is over, and what tenants
 * and finance read over NATS. Every figure is computed by hand below, with the default
 * prices: pro = 29 a month (744 hours in October), 0.001 a container-hour, 0.0125 a
 * vCPU-hour, 0.004 a GB-hour, 0.1 a GB-month of volume, 0.05 of images; free = 0.
 */
describe('billing: a scripted evening to invoices, running bill, finance and re-rating (real JetStream, PostgreSQL)', () => {
  let kit: BillingUnderTest;
  const A = randomUUID(); // pro from 21:10
  const B = randomUUID(); // free, pro from 22:30
  const T = (time: string) => `2026-10-31T${time}.000Z`;
  const MiB = 2 ** 20;
  const GiB = 2 ** 30;

  const fact = (context: string, type: string, data: object, created?: string) =>
    publishFact(kit.nc, context, { type, data }, created ? { created } : {});
  const started = (tenantId: string, containerId: string, hostId: string, cpus: number, memoryMb: number, at: string) =>
    fact('scheduling', 'ContainerStarted', { tenantId, containerId, hostId, resources: { cpus, memoryMb }, at: T(at) });
  const ended = (type: string, tenantId: string, containerId: string, at: string) =>
    fact('scheduling', type, { tenantId, containerId, at: T(at) });
  /** Every published fact is recorded on the meters, and the meters' read model shows it. */
  const settled = async () => {
    await eventually(
      () => kit.billing.backlog(),
      (backlog) => backlog === 0,
    );
    await kit.billing.clock.tick(); // waits for the read model; closes whatever is due
  };
  const runningOn = (hostId: string) =>
    eventually(
      async () => kit.query('select container_id from billing.running_containers where host_id = $1', [hostId]),
      (rows) => rows.length > 0,
    );
  const call = <T>(pattern: string, payload: object, meta = platformMeta('finance')) =>
    kit.rpc.request<T>(pattern, payload, meta);

  beforeAll(async () => {
    kit = await startBillingForTest();
    kit.now = new Date(T('21:00:00'));

    // Until 23:00.
    await fact(
      'tenancy',
      'TenantCreated',
      { tenantId: B, name: 'b', planId: 'free', ownerUserId: 'u-b' },
      T('21:00:00'),
    );
    await started(B, 'c4', 'h1', 1, 256, '21:00:00');
    await fact(
      'tenancy',
      'TenantCreated',
      { tenantId: A, name: 'a', planId: 'pro', ownerUserId: 'u-a' },
      T('21:10:00'),
    );
    await started(A, 'c1', 'h1', 1, 512, '21:30:00');
    await fact('images', 'ImagePushed', {
      repositoryId: 'r-a',
      tenantId: A,
      repository: `${A}/web`,
      tag: 'v1',
      digest: 'sha256:a',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 512 * MiB,
      pushedAt: T('22:00:00'),
      pushedBy: 'user:u-a',
    });
    await fact('scheduling', 'VolumeMeasured', {
      tenantId: B,
      hostId: 'h1',
      volumeName: 'data',
      sizeBytes: 2 * GiB,
      measuredAt: T('22:00:00'),
    });
    await started(A, 'c2', 'h2', 0.5, 1024, '22:15:00');
    await fact('tenancy', 'TenantPlanChanged', { tenantId: B, planId: 'pro', effectiveAt: T('22:30:00') });
    const stop = await ended('ContainerStopped', A, 'c1', '22:45:00');
    await publishFact(
      kit.nc,
      'scheduling',
      { type: 'ContainerStopped', data: { tenantId: A, containerId: 'c1', at: T('22:45:00') } },
      { id: stop, msgID: `${stop}-again` }, // redelivered by a relay that restarted
    );
    await settled();
    kit.now = new Date(T('23:30:00')); // hours 21 and 22 are over, grace included
    await settled();
  }, 60_000);
  afterAll(() => kit?.close());

  it('shows a tenant its running bill: each closed hour and the day so far', async () => {
    const bill = await call<CurrentBillView>(BILLING.currentBill, {}, tenantMeta(A, 'viewer'));
    expect(bill).toMatchObject({ tenantId: A, period: '2026-10', currency: 'EUR', closedThrough: T('23:00:00') });
    expect(bill.hours).toEqual([
      // fee 29/744 = 0.038978; c1 30 min: 0.0005 + 0.00625 (1 vCPU) + 0.001 (0.5 GB)
      { hour: T('21:00:00'), planId: 'pro', amount: '0.046728' },
      // fee 0.038978; c1 and c2 45 min each: containers 1.5 h 0.0015, vCPU 1.125 h 0.014063 (0.0140625),
      // memory 1.125 GB-h 0.0045; image 0.5 GiB for an hour: 0.5/744 × 0.05 = 0.000034
      { hour: T('22:00:00'), planId: 'pro', amount: '0.059075' },
    ]);
    expect(bill.days).toEqual([{ day: '2026-10-31', amount: '0.105803' }]);
  });

  describe('once the month is over', () => {
    beforeAll(async () => {
      await started(A, 'c3', 'h2', 2, 2048, '23:20:00'); // c2 resized: replaced by c3
      await ended('ContainerRemoved', A, 'c2', '23:20:00');
      await ended('ContainerStopped', B, 'c4', '23:30:00');
      await started(B, 'c5', 'h1', 1, 1024, '23:40:00');
      await settled();
      await runningOn('h2'); // HostDown fans out to the tenants billing sees running there
      await fact('scheduling', 'HostDown', { hostId: 'h2', at: T('23:50:00') });
      await settled();
      kit.now = new Date('2026-11-01T00:06:00.000Z');
      await kit.billing.closeAndIssue();
    }, 60_000);

    it('issues each tenant’s invoice: the lines and totals computed by hand', async () => {
      const a = await call<InvoiceView>(BILLING.getInvoice, { period: '2026-10' }, tenantMeta(A));
      expect(a.lines).toEqual([
        // 3 hours on pro: 29 × 3/744 = 0.116935
        {
          unit: 'monthlyFee',
          planId: 'pro',
          priceVersion: 1,
          quantity: '0.004032',
          unitPrice: '29.000000',
          amount: '0.116935',
        },
        // c1 75 min + c2 65 min + c3 30 min (until h2 went down) = 170 min
        {
          unit: 'container',
          planId: 'pro',
          priceVersion: 1,
          quantity: '2.833333',
          unitPrice: '0.001000',
          amount: '0.002833',
        },
        // 75 + 0.5 × 65 + 2 × 30 = 167.5 vCPU-min
        {
          unit: 'vcpu',
          planId: 'pro',
          priceVersion: 1,
          quantity: '2.791667',
          unitPrice: '0.012500',
          amount: '0.034896',
        },
        // 0.5 × 75 + 1 × 65 + 2 × 30 = 162.5 GB-min
        {
          unit: 'memory',
          planId: 'pro',
          priceVersion: 1,
          quantity: '2.708333',
          unitPrice: '0.004000',
          amount: '0.010833',
        },
        // 0.5 GiB for 2 hours = 1/744 GB-month
        {
          unit: 'imageStorage',
          planId: 'pro',
          priceVersion: 1,
          quantity: '0.001344',
          unitPrice: '0.050000',
          amount: '0.000067',
        },
      ]);
      expect(a.total).toBe('0.165564');

      const b = await call<InvoiceView>(BILLING.getInvoice, { period: '2026-10' }, tenantMeta(B));
      // Hour 21 on free (everything 0); hours 22 and 23 on pro (the plan at each hour's end):
      // fee 29 × 2/744 = 0.077957; c4 22:00–23:30 + c5 23:40–24:00 = 110 min; 110 vCPU-min;
      // 0.25 × 90 + 1 × 20 = 42.5 GB-min; the volume 2 GiB × 2 h = 4/744 GB-month × 0.1 = 0.000538
      expect(b.lines.filter((line) => line.planId === 'pro').map((line) => [line.unit, line.amount])).toEqual([
        ['monthlyFee', '0.077957'],
        ['container', '0.001833'],
        ['vcpu', '0.022917'],
        ['memory', '0.002833'],
        ['volume', '0.000538'],
      ]);
      expect(b.lines.filter((line) => line.planId === 'free').every((line) => line.amount === '0.000000')).toBe(true);
      expect(b.total).toBe('0.106078');
    });

    it('gives finance both invoices, their total, and a reconciliation with the metered usage', async () => {
      const finance = await call<FinanceInvoicesView>(BILLING.financeInvoices, { period: '2026-10' });
      expect(finance.invoices.map((invoice) => [invoice.tenantId, invoice.total]).sort()).toEqual(
        [
          [A, '0.165564'],
          [B, '0.106078'],
        ].sort(),
      );
      expect(finance.totals).toEqual([{ currency: 'EUR', amount: '0.271642' }]);
      expect(finance.reconciliation.every((row) => row.matches)).toBe(true);
      const usage = await call<FinanceUsageView>(BILLING.financeUsage, { period: '2026-10' });
      expect(usage.tenants.find((row) => row.tenantId === A)).toMatchObject({
        containerHours: '2.833333',
        vcpuHours: '2.791667',
        memoryGbHours: '2.708333',
        imageStorageGbMonths: '0.001344',
        charge: '0.165564',
      });
      expect(usage.totals).toEqual([{ currency: 'EUR', amount: '0.271642' }]);
    });

    it('keeps tenants apart: each sees its own invoices only, and finance routes refuse them', async () => {
      expect((await call<InvoiceView[]>(BILLING.listInvoices, {}, tenantMeta(A))).map((i) => i.tenantId)).toEqual([A]);
      const other = randomUUID();
      expect(await call<InvoiceView[]>(BILLING.listInvoices, {}, tenantMeta(other))).toEqual([]);
      await expect(call(BILLING.getInvoice, { period: '2026-10' }, tenantMeta(other))).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(call(BILLING.financeInvoices, { period: '2026-10' }, tenantMeta(A, 'owner'))).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(call(BILLING.getInvoice, { period: '2026-13' }, tenantMeta(A))).rejects.toMatchObject({
        code: 'validation',
      });
    });

    it('leaves an issued invoice as it is when a fact comes late: the reconciliation shows the difference', async () => {
      await ended('ContainerStopped', B, 'c5', '23:55:00'); // 5 min less in hour 23
      await settled();
      const b = await call<InvoiceView>(BILLING.getInvoice, { period: '2026-10' }, tenantMeta(B));
      expect(b.total).toBe('0.106078');
      const finance = await call<FinanceInvoicesView>(BILLING.financeInvoices, { period: '2026-10' });
      // B metered: fee 0.077957 + containers 105 min 0.00175 + vCPU 0.021875 + memory 37.5 GB-min 0.0025 + volume 0.000538
      expect(finance.reconciliation.find((row) => row.tenantId === B)).toEqual({
        tenantId: B,
        currency: 'EUR',
        metered: '0.104620',
        invoiced: '0.106078',
        matches: false,
      });
    });

    it('re-rates the period with a new price version as a projection of its own; invoices stay as issued', async () => {
      const defined = await call<PriceVersionView>(BILLING.definePrices, {
        planId: 'pro',
        effectiveFrom: '2026-10-01T00:00:00Z',
        prices: { ...PRO_PRICES, vcpuHour: '0.02' },
      });
      expect(defined).toMatchObject({ planId: 'pro', version: 2, effectiveFrom: '2026-10-01T00:00:00.000Z' });
      const rerating = await call<ReratingView>(BILLING.reratePeriod, { period: '2026-10' });
      // A: vCPU 2.791667 h × 0.02 = 0.055833 instead of 0.034896; B (with the late stop): 1.75 h × 0.02 = 0.035
      expect(
        rerating.invoices
          .map(({ tenantId, invoiced, rerated, difference }) => ({ tenantId, invoiced, rerated, difference }))
          .sort((x, y) => x.tenantId.localeCompare(y.tenantId)),
      ).toEqual(
        [
          { tenantId: A, invoiced: '0.165564', rerated: '0.186501', difference: '0.020937' },
          { tenantId: B, invoiced: '0.106078', rerated: '0.117745', difference: '0.011667' },
        ].sort((x, y) => x.tenantId.localeCompare(y.tenantId)),
      );
      expect(await call<ReratingView[]>(BILLING.listReratings, { period: '2026-10' })).toEqual([rerating]);
      expect((await call<InvoiceView>(BILLING.getInvoice, { period: '2026-10' }, tenantMeta(A))).total).toBe(
        '0.165564',
      );
    });

    it('refuses a price version that does not follow the last one, or another currency, naming the field', async () => {
      const early = await call(BILLING.definePrices, {
        planId: 'pro',
        effectiveFrom: '2026-09-01T00:00:00Z',
        prices: PRO_PRICES,
      }).catch((error: CaasError) => error);
      expect(early).toMatchObject({ code: 'conflict' });
      const dollars = await call(BILLING.definePrices, {
        planId: 'enterprise',
        effectiveFrom: '2027-01-01T00:00:00Z',
        prices: { ...DEFAULT_PRICES.enterprise, currency: 'USD' },
      }).catch((error: CaasError) => error);
      expect(dollars).toMatchObject({
        code: 'validation',
        extra: { violations: [expect.objectContaining({ field: 'prices.currency' })] },
      });
      const negative = await call(BILLING.definePrices, {
        planId: 'pro',
        effectiveFrom: '2027-01-01T00:00:00Z',
        prices: { ...PRO_PRICES, vcpuHour: '-1' },
      }).catch((error: CaasError) => error);
      expect(negative).toMatchObject({ code: 'validation' });
    });

    it('rebuilds metering and invoicing from the event store with identical rows', async () => {
      const tables = ['hourly_usage', 'meters', 'running_containers', 'price_versions', 'invoices', 'reratings'];
      const dump = async () =>
        Object.fromEntries(
          await Promise.all(
            tables.map(async (table) => [table, await kit.query(`select * from billing.${table} order by 1, 2`)]),
          ),
        );
      const before = await dump();
      expect((before.hourly_usage as unknown[]).length).toBe(6); // 3 hours × 2 tenants
      await kit.restart(async () => {
        await kit.query(`truncate ${tables.map((table) => `billing.${table}`).join(', ')}`);
        await kit.query(`delete from consumers.checkpoints where consumer like 'billing-%'`);
      });
      expect(await dump()).toEqual(before);
    });
  });
});
