import { IndexedPlacer } from './indexed-placer';
import { host, loaded, request } from './placement.fixtures';
import { ReferencePlacer } from './reference-placer';
import type { HostView, LabelConstraint, NotPlaced, Placed, PlacementDecision, Placer } from './types';

// The behaviour placement promises, checked on both placers: the reference is the
// specification, the indexed placer must behave the same (and `indexed-placer.spec.ts`
// compares them decision by decision on random clusters).
describe.each<[string, (hosts: HostView[]) => Placer]>([
  ['reference placer', (hosts) => new ReferencePlacer(hosts)],
  ['indexed placer', (hosts) => new IndexedPlacer(hosts)],
])('%s', (_name, placerFor) => {
  const place = (hosts: HostView[], ...args: Parameters<Placer['place']>) => placerFor(hosts).place(...args);

  describe('score stage', () => {
    it('spreads onto the least loaded host and says why', () => {
      const decision = place(
        [
          loaded('host-1', 3, 4096),
          loaded('host-2', 0.5, 1024),
          loaded('host-3', 1, 2048),
          host('host-4', { environmentId: 'staging' }),
          host('host-5', { status: 'down' }),
        ],
        request(),
      );
      expect(placed(decision)).toMatchObject({ hostId: 'host-2', strategy: 'spread', candidates: 3 });
      expect(decision.reason).toBe(
        'spread: host-2 had the most free capacity (cpu 3.5/4, mem 7168/8192 MB free; score 0.436) among 3 candidates; ' +
          '1 filtered by environment, 1 by status',
      );
      expect(decision.filtered).toEqual({
        environment: 1,
        status: 1,
        dedicated: 0,
        constraints: 0,
        resources: 0,
        antiAffinity: 0,
      });
    });

    it('binpacks onto the fullest host that still fits', () => {
      const decision = place(
        [loaded('host-1', 3.5, 7168), loaded('host-2', 2.5, 5120), loaded('host-3', 1, 1024)],
        request({ strategy: 'binpack' }),
      );
      // host-1 is fuller but has only 0.5 cpu free.
      expect(placed(decision).hostId).toBe('host-2');
      expect(decision.reason).toMatch(
        /^binpack: host-2 was the fullest host that fits \(cpu 1.5\/4, mem 3072\/8192 MB free; score 0\.\d+\) among 2 candidates; 1 filtered by resources$/,
      );
    });

    it('compares free fractions: a small host with 3 of 4 cpus free beats a big one with 8 of 32', () => {
      const big = host('big', {
        capacity: { cpus: 32, memoryMb: 65536 },
        allocated: { cpus: 24, memoryMb: 49152, containers: 20 },
      });
      expect(placed(place([big, loaded('small', 1, 2048)], request())).hostId).toBe('small');
    });

    it('breaks ties by the lowest hostId, whatever the order of the hosts', () => {
      expect(placed(place([host('host-b'), host('host-a'), host('host-c')], request())).hostId).toBe('host-a');
      expect(placed(place([host('host-c'), host('host-b')], request({ strategy: 'binpack' }))).hostId).toBe('host-b');
    });
  });

  describe('environment and status', () => {
    it('never places outside the environment and names it when it has no host', () => {
      const decision = notPlaced(
        place([host('host-1', { environmentId: 'staging' }), host('host-2', { environmentId: 'dev' })], request()),
      );
      expect(decision.failedConstraint).toBe('environment');
      expect(decision.reason).toBe('no host is registered in environment prod (2 hosts in other environments)');
      expect(decision.filtered.environment).toBe(2);
    });

    it('fails on environment when there are no hosts at all', () => {
      const decision = notPlaced(place([], request()));
      expect(decision.failedConstraint).toBe('environment');
      expect(decision.reason).toBe('no host is registered (in environment prod or any other)');
    });

    it('never gives new work to down or draining hosts, however empty', () => {
      const decision = place(
        [
          host('empty-down', { status: 'down' }),
          host('empty-draining', { status: 'draining' }),
          loaded('busy', 3, 7168),
        ],
        request(),
      );
      expect(placed(decision).hostId).toBe('busy');
    });

    it('blames status when every host of the environment is down or draining', () => {
      const decision = notPlaced(
        place(
          [
            host('host-1', { status: 'down' }),
            host('host-2', { status: 'draining' }),
            host('host-3', { status: 'down' }),
            host('host-4', { environmentId: 'dev' }),
          ],
          request(),
        ),
      );
      expect(decision.failedConstraint).toBe('status');
      expect(decision.reason).toBe('none of the 3 hosts in environment prod is up (2 down, 1 draining)');
    });
  });

  describe('dedicated hosts', () => {
    const hosts = [
      host('shared'),
      host('t1-host', { dedicatedTenantId: 't1' }),
      host('t2-host', { dedicatedTenantId: 't2' }),
    ];

    it("take only their tenant's containers", () => {
      const decision = place(hosts, request({ tenantId: 't3' }));
      expect(placed(decision).hostId).toBe('shared');
      expect(decision.filtered.dedicated).toBe(2);
    });

    it('leave shared hosts open to their tenant too', () => {
      const onlyShared = place(
        [host('shared'), host('t2-host', { dedicatedTenantId: 't2' })],
        request({ tenantId: 't1' }),
      );
      expect(placed(onlyShared).hostId).toBe('shared');
      const busyDedicated = place([host('shared'), loaded('t1-host', 3, 6144, { dedicatedTenantId: 't1' })], request());
      expect(placed(busyDedicated).hostId).toBe('shared');
    });

    it('are the only hosts for a dedicatedOnly request', () => {
      const decision = place(
        [host('shared'), loaded('t1-host', 3, 6144, { dedicatedTenantId: 't1' })],
        request({ dedicatedOnly: true }),
      );
      expect(placed(decision).hostId).toBe('t1-host');
    });

    it('are named when they eliminate the last candidates', () => {
      const othersOnly = notPlaced(
        place([host('t2-host', { dedicatedTenantId: 't2' }), host('t3-host', { dedicatedTenantId: 't3' })], request()),
      );
      expect(othersOnly.failedConstraint).toBe('dedicated');
      expect(othersOnly.reason).toBe('all 2 up hosts in environment prod are dedicated to other tenants');
      const dedicatedOnly = notPlaced(place(hosts, request({ tenantId: 't3', dedicatedOnly: true })));
      expect(dedicatedOnly.failedConstraint).toBe('dedicated');
      expect(dedicatedOnly.reason).toBe(
        'no up host in environment prod is dedicated to tenant t3 (dedicatedOnly requested; 1 shared, 2 dedicated to other tenants)',
      );
    });
  });

  describe('constraints', () => {
    const hosts = [
      host('eu-ssd', { labels: { zone: 'eu', disk: 'ssd' } }),
      host('eu-hdd', { labels: { zone: 'eu', disk: 'hdd' } }),
      host('us-ssd-gpu', { labels: { zone: 'us', disk: 'ssd', gpu: 'true' } }),
      host('unlabelled'),
    ];
    const where = (constraints: readonly LabelConstraint[]) => ({ constraints });

    it('select hosts by label: ==, != (also hosts without the label) and exists', () => {
      expect(placed(place(hosts, request(where([{ key: 'zone', op: '==', value: 'us' }])))).hostId).toBe('us-ssd-gpu');
      expect(placed(place(hosts, request(where([{ key: 'gpu', op: 'exists' }])))).hostId).toBe('us-ssd-gpu');
      const notSsd = place(hosts, request(where([{ key: 'disk', op: '!=', value: 'ssd' }])));
      expect(placed(notSsd).hostId).toBe('eu-hdd');
      expect(notSsd.filtered.constraints).toBe(2);
      const both = place(
        hosts,
        request(
          where([
            { key: 'zone', op: '==', value: 'eu' },
            { key: 'disk', op: '==', value: 'ssd' },
          ]),
        ),
      );
      expect(placed(both).hostId).toBe('eu-ssd');
    });

    it('that nothing satisfies are named with the number of hosts each fails on', () => {
      const decision = notPlaced(
        place(
          hosts,
          request(
            where([
              { key: 'zone', op: '==', value: 'eu' },
              { key: 'gpu', op: 'exists' },
              { key: 'disk', op: '!=', value: 'nvme' },
            ]),
          ),
        ),
      );
      expect(decision.failedConstraint).toBe('constraints');
      expect(decision.reason).toBe(
        'none of the 4 up hosts in environment prod usable by tenant t1 satisfies the constraints: zone == eu (fails on 2), gpu exists (fails on 3)',
      );
    });
  });

  describe('resources', () => {
    it('accept a host that is filled exactly, despite binary fractions', () => {
      // 0.1 seven times is 0.7000000000000001: the last 0.3 cpu must still fit.
      const sevenTenths = Array.from({ length: 7 }, () => 0.1).reduce((a, b) => a + b);
      const decision = place([loaded('h', 3 + sevenTenths, 0)], request({ resources: { cpus: 0.3, memoryMb: 0 } }));
      expect(placed(decision).hostId).toBe('h');
    });

    it('that no host has are named with the largest free capacity', () => {
      const decision = notPlaced(
        place(
          [loaded('host-1', 3, 2048), loaded('host-2', 2.5, 6144), host('host-3', { environmentId: 'staging' })],
          request({ resources: { cpus: 2, memoryMb: 4096 } }),
        ),
      );
      expect(decision.failedConstraint).toBe('resources');
      expect(decision.reason).toBe(
        'no host in environment prod has 2 cpus and 4096 MB free: of the 2 up hosts matching the request, 2 lack cpu and 1 lack memory; ' +
          'most free cpu: 1.5 cpus (2048 MB) on host-2, most free memory: 6144 MB (1 cpu) on host-1',
      );
      expect(decision.filtered).toMatchObject({ environment: 1, resources: 2 });
    });

    it('name one host when it has both the most free cpu and the most free memory', () => {
      const decision = notPlaced(
        place(
          [loaded('host-1', 3, 7168), loaded('host-2', 2.5, 6144)],
          request({ resources: { cpus: 2, memoryMb: 4096 } }),
        ),
      );
      expect(decision.reason).toMatch(/; largest free: 1.5 cpus \/ 2048 MB on host-2$/);
    });

    it('count hosts filtered by earlier filters once, by the first that rejected them', () => {
      const decision = notPlaced(
        place(
          [
            host('dev-down', { environmentId: 'dev', status: 'down' }),
            host('down-labelled', { status: 'down', labels: { zone: 'x' } }),
            loaded('full', 4, 8192),
          ],
          request(),
        ),
      );
      expect(decision.filtered).toEqual({
        environment: 1,
        status: 1,
        dedicated: 0,
        constraints: 0,
        resources: 1,
        antiAffinity: 0,
      });
    });
  });

  describe('anti-affinity (soft)', () => {
    const service = request({ serviceId: 'svc' });

    it('keeps a second replica off a host that runs one while another host qualifies, even a busier one', () => {
      const decision = place([host('empty'), loaded('busy', 3, 6144)], service, new Map([['empty', 1]]));
      expect(placed(decision).hostId).toBe('busy');
      expect(decision.filtered.antiAffinity).toBe(1);
      expect(decision.reason).toMatch(/; 1 set aside by anti-affinity \(already running service svc\)$/);
    });

    it('only counts hosts that qualify: a host without a replica but without room does not keep others out', () => {
      const decision = place([loaded('full', 4, 8192), loaded('has-one', 1, 1024)], service, new Map([['has-one', 1]]));
      expect(placed(decision).hostId).toBe('has-one');
      expect(decision.reason).toMatch(/; anti-affinity: every host that fits already runs 1 replica of service svc$/);
    });

    it('doubles up on the hosts with the fewest replicas rather than fail', () => {
      const decision = place(
        [host('a'), host('b'), loaded('c', 2, 4096)],
        service,
        new Map([
          ['a', 2],
          ['b', 1],
          ['c', 1],
        ]),
      );
      expect(placed(decision).hostId).toBe('b');
      expect(decision.reason).toMatch(
        /; anti-affinity: every host that fits already runs 1 replica of service svc \(1 running more set aside\)$/,
      );
    });

    it('applies to replicas of a service only, and can be turned off', () => {
      const replicas = new Map([['empty', 1]]);
      const hosts = [host('empty'), loaded('busy', 3, 6144)];
      expect(placed(place(hosts, request(), replicas)).hostId).toBe('empty');
      expect(placed(place(hosts, request({ serviceId: 'svc', antiAffinity: false }), replicas)).hostId).toBe('empty');
    });
  });

  describe('the placer', () => {
    it('decides without allocating; allocate and release move the free capacity', () => {
      const placer = placerFor([host('a'), host('b')]);
      const first = placed(placer.place(request()));
      expect(placed(placer.place(request())).hostId).toBe(first.hostId);
      placer.allocate(first.hostId, { cpus: 1, memoryMb: 1024 });
      expect(placed(placer.place(request())).hostId).not.toBe(first.hostId);
      placer.release(first.hostId, { cpus: 1, memoryMb: 1024 });
      expect(placed(placer.place(request())).hostId).toBe(first.hostId);
      expect(() => placer.allocate('nowhere', { cpus: 1, memoryMb: 1 })).toThrow(/unknown host nowhere/);
    });

    it('follows hosts that change, come and go', () => {
      const placer = placerFor([host('a'), loaded('b', 1, 1024)]);
      placer.upsertHost(host('a', { status: 'draining' }));
      expect(placed(placer.place(request())).hostId).toBe('b');
      placer.upsertHost(host('c'));
      expect(placed(placer.place(request())).hostId).toBe('c');
      placer.removeHost('c');
      placer.removeHost('b');
      expect(notPlaced(placer.place(request())).reason).toBe(
        'none of the 1 host in environment prod is up (1 draining)',
      );
    });

    it('refuses a malformed request with the field', () => {
      expect(() => placerFor([host('a')]).place(request({ resources: { cpus: -1, memoryMb: 1 } }))).toThrow(
        /resources.cpus/,
      );
      expect(() => placerFor([host('a')]).place(request({ resources: { cpus: 1, memoryMb: NaN } }))).toThrow(
        /resources.memoryMb/,
      );
      expect(() =>
        placerFor([host('a')]).place(request({ constraints: [{ key: 'zone', op: '==' } as never] })),
      ).toThrow(/constraints\[0\]/);
    });

    it('refuses duplicate hosts', () => {
      expect(() => placerFor([host('a'), host('a')])).toThrow(/duplicate host a/);
    });
  });
});

function placed(decision: PlacementDecision): Placed {
  if (!decision.placed) throw new Error(`expected a placement, got: ${decision.reason}`);
  return decision;
}

function notPlaced(decision: PlacementDecision): NotPlaced {
  if (decision.placed) throw new Error(`expected no placement, got ${decision.hostId}: ${decision.reason}`);
  return decision;
}
