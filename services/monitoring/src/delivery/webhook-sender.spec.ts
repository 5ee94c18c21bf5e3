import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedLookup, sendWebhook } from './webhook-sender';

const lookupOf = (allowHosts: string[], hostname: string) =>
  new Promise<{ error: Error | null; address?: unknown }>((resolve) =>
    guardedLookup({ allowHosts })(hostname, { all: true }, (error, address) => resolve({ error, address })),
  );

describe('sending a webhook', () => {
  let server: Server;
  let base: string;
  const hanging: Array<() => void> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/moved') return response.writeHead(302, { location: '/ok' }).end();
      if (request.url === '/hang') return hanging.push(() => response.writeHead(200).end());
      response.writeHead(request.url === '/ok' ? 204 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hanging.forEach((answer) => answer());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const reach = { allowHosts: ['127.0.0.1'] };

  it('answers the receiver’s status, and does not follow redirects', async () => {
    expect(await sendWebhook(`${base}/ok`, '{}', {}, { timeoutMs: 5_000, reach })).toMatchObject({
      statusCode: 204,
      error: null,
    });
    expect((await sendWebhook(`${base}/moved`, '{}', {}, { timeoutMs: 5_000, reach })).statusCode).toBe(302);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const outcome = await sendWebhook(`${base}/hang`, '{}', {}, { timeoutMs: 300, reach });
    expect(outcome).toMatchObject({ statusCode: null, error: 'timed out after 300 ms' });
  });

  it('refuses at send time a URL the rules refuse (the allow list may have changed)', async () => {
    const outcome = await sendWebhook(`${base}/ok`, '{}', {}, { timeoutMs: 5_000, reach: { allowHosts: [] } });
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/^url refused: /);
  });

  it('refuses a name that resolves to a private address, unless the host is allowed', async () => {
    const refused = await lookupOf([], 'localhost');
    expect(refused.error?.message).toMatch(/localhost resolves to .*, a private address/);
    const allowed = await lookupOf(['localhost'], 'localhost');
    expect(allowed.error).toBeNull();
    expect(allowed.address).toEqual(expect.arrayContaining([expect.objectContaining({ family: expect.any(Number) })]));
  });
});
