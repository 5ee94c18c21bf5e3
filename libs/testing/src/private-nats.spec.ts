import { existsSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { startPrivateNats } from './private-nats';

describe('startPrivateNats', () => {
  it('runs a nats-server of its own on a random loopback port, and removes its store on stop', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('caas-nats-')));
    const nats = await startPrivateNats({ jetstream: true });
    if (!nats) throw new Error('no nats-server binary: `npm run infra:up` installs it');
    const { hostname, port } = new URL(nats.url);
    expect(hostname).toBe('127.0.0.1');
    expect(port).not.toBe('4222');
    const info = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: hostname, port: Number(port) });
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(chunk.toString());
      });
      socket.once('error', reject);
    });
    expect(info).toMatch(/^INFO \{.*"jetstream":true/);
    const stores = readdirSync(tmpdir()).filter((name) => name.startsWith('caas-nats-') && !before.has(name));
    expect(stores).toHaveLength(1);

    await nats.stop();
    expect(existsSync(`${tmpdir()}/${stores[0]}`)).toBe(false);
  });
});
