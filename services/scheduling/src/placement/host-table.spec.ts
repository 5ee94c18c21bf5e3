import { HostTable } from './host-table';
import { host, loaded } from './placement.fixtures';

describe('HostTable', () => {
  const classesOf = (table: HostTable, environmentId: string) =>
    table.environments.get(environmentId)?.classes.map((c) => c.slots.map((slot) => table.hostIds[slot]).sort()) ?? [];

  it('groups hosts the class filters cannot tell apart, whatever the order of their labels', () => {
    const table = new HostTable();
    table.upsert(host('a', { labels: { zone: 'x', disk: 'ssd' } }));
    table.upsert(loaded('b', 3, 1024, { labels: { disk: 'ssd', zone: 'x' } }));
    table.upsert(host('c', { labels: { zone: 'y' } }));
    table.upsert(host('d', { labels: { zone: 'x', disk: 'ssd' }, dedicatedTenantId: 't1' }));
    table.upsert(host('e', { labels: { zone: 'x', disk: 'ssd' }, status: 'draining' }));
    expect(classesOf(table, 'prod')).toEqual([['a', 'b'], ['c'], ['d'], ['e']]);
  });

  it('moves a changed host to its new class and drops emptied classes and environments', () => {
    const table = new HostTable();
    table.upsert(host('a'));
    table.upsert(host('b', { environmentId: 'dev' }));
    table.upsert(host('b', { status: 'down' }));
    expect(classesOf(table, 'prod')).toEqual([['a'], ['b']]);
    expect(table.environments.has('dev')).toBe(false);
    table.remove('b');
    expect(classesOf(table, 'prod')).toEqual([['a']]);
    expect(table.environments.get('prod')?.hostCount).toBe(1);
  });

  it('keeps free capacity as capacity − allocated, and bumps the version of a changed host', () => {
    const table = new HostTable();
    table.upsert(loaded('a', 1, 1024));
    const slot = table.slot('a')!;
    const before = table.version[slot];
    table.adjust('a', { cpus: 0.5, memoryMb: 512 }, 1);
    expect([table.freeCpu[slot], table.freeMem[slot], table.containers[slot]]).toEqual([2.5, 6656, 2]);
    expect(table.version[slot]).toBeGreaterThan(before);
  });

  it('ranks hosts by hostId as hosts come and go, reusing the slots of removed hosts', () => {
    const table = new HostTable();
    for (const id of ['m', 'c', 'x']) table.upsert(host(id));
    table.remove('c');
    table.upsert(host('a'));
    expect(table.slot('a')).toBe(1); // c's slot
    const ranks = table.hostRanks();
    const order = ['a', 'm', 'x'].map((id) => ranks[table.slot(id)!]);
    expect(order).toEqual([0, 1, 2]);
    expect(table.version[table.slot('a')!]).toBeGreaterThan(2);
  });
});
