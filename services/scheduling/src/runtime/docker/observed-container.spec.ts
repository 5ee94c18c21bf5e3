import type Docker from 'dockerode';
import { fromListEntry } from './observed-container';

const entry = (State: string, Status: string) =>
  ({
    Id: 'abc',
    Names: ['/caas-x'],
    Image: 'img',
    Labels: { a: 'b' },
    State,
    Status,
    Created: 1_700_000_000,
  }) as unknown as Docker.ContainerInfo;

describe('fromListEntry', () => {
  it('reads exit code and health from the engine status text', () => {
    expect(fromListEntry(entry('exited', 'Exited (137) 2 seconds ago'))).toMatchObject({
      engineId: 'abc',
      name: 'caas-x',
      state: 'exited',
      exitCode: 137,
      createdAt: '2023-11-14T22:13:20.000Z',
    });
    expect(fromListEntry(entry('running', 'Up 5 seconds (healthy)'))).toMatchObject({ exitCode: 0, health: 'healthy' });
    expect(fromListEntry(entry('running', 'Up 1 second (health: starting)')).health).toBe('starting');
    expect(fromListEntry(entry('restarting', 'Restarting (1) 1 second ago')).exitCode).toBe(1);
    expect(fromListEntry(entry('created', 'Created'))).not.toHaveProperty('health');
  });
});
