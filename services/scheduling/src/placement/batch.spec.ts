import { placeReplicas } from './batch';
import { IndexedPlacer } from './indexed-placer';
import { host, loaded, request } from './placement.fixtures';
import { ReferencePlacer } from './reference-placer';
import type { HostView, Placer } from './types';

describe.each<[string, (hosts: HostView[]) => Placer]>([
  ['reference placer', (hosts) => new ReferencePlacer(hosts)],
  ['indexed placer', (hosts) => new IndexedPlacer(hosts)],
])('placeReplicas on the %s', (_name, placerFor) => {
  const service = request({ serviceId: 'web', resources: { cpus: 1, memoryMb: 2048 } });

  it('spreads the replicas of a service over hosts, one per host while hosts remain', () => {
    const placer = placerFor([host('a'), host('b'), host('c')]);
    const { placements, failure } = placeReplicas(placer, service, 3);
    expect(failure).toBeUndefined();
    expect(placements.map((p) => p.hostId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('counts the replicas already running', () => {
    const placer = placerFor([host('a'), host('b'), host('c')]);
    const { placements } = placeReplicas(placer, service, 2, new Map([['a', 1]]));
    expect(placements.map((p) => p.hostId).sort()).toEqual(['b', 'c']);
  });

  it('doubles up evenly, even under binpack, when there are more replicas than hosts', () => {
    const placer = placerFor([host('a'), host('b')]);
    const { placements } = placeReplicas(placer, { ...service, strategy: 'binpack' }, 4);
    const perHost = placements.reduce<Record<string, number>>(
      (n, p) => ({ ...n, [p.hostId]: (n[p.hostId] ?? 0) + 1 }),
      {},
    );
    expect(perHost).toEqual({ a: 2, b: 2 });
  });

  it('allocates as it goes, so it never over-commits a host', () => {
    // 2 cpus free on a, 1 on b: 3 replicas of 1 cpu fit, the 4th does not.
    const placer = placerFor([loaded('a', 2, 0), loaded('b', 3, 0)]);
    const { placements, failure } = placeReplicas(placer, { ...service, antiAffinity: false }, 5);
    expect(placements.map((p) => p.hostId).sort()).toEqual(['a', 'a', 'b']);
    expect(failure).toMatchObject({ placed: false, failedConstraint: 'resources' });
    // What was placed stays allocated.
    expect(placer.place({ ...service, resources: { cpus: 0.5, memoryMb: 0 } }).placed).toBe(false);
  });

  it('releases what it placed when all or nothing was asked for', () => {
    const placer = placerFor([host('a'), host('b')]);
    const { placements, failure } = placeReplicas(
      placer,
      { ...service, resources: { cpus: 3, memoryMb: 1024 } },
      3,
      new Map(),
      {
        allOrNothing: true,
      },
    );
    expect(placements).toEqual([]);
    expect(failure?.failedConstraint).toBe('resources');
    // Both hosts are empty again: 4 cpus fit.
    expect(placer.place({ ...service, resources: { cpus: 4, memoryMb: 8192 } }).placed).toBe(true);
  });

  it('does not modify the replicas map it is given', () => {
    const replicas = new Map([['a', 1]]);
    placeReplicas(placerFor([host('a'), host('b')]), service, 2, replicas);
    expect([...replicas]).toEqual([['a', 1]]);
  });
});
