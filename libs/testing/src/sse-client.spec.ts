import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SseClient } from './sse-client';

/** A plain HTTP server writing the chunks a test gives it, to check the client's parsing. */
let server: Server;
let url: string;
let respond: (response: ServerResponse, lastEventId: string | undefined) => void;

beforeAll(async () => {
  server = createServer((request, response) => respond(response, request.headers['last-event-id'] as string));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('SseClient', () => {
  it('parses events, comments and ids as EventSource does, across chunk boundaries', async () => {
    respond = (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': hello\n\nid: 1\nevent: Created\ndata: {"a":');
      response.write('1}\n\r\nid: 2\n\n'); // an id without data moves the position, fires nothing
      response.write('data: one\r\ndata: two\r');
      response.end('\n\r\n');
    };
    const client = await SseClient.connect(url);
    await client.waitFor((messages) => messages.length >= 2);
    expect(client.messages).toEqual([
      { lastEventId: '1', event: 'Created', data: '{"a":1}' },
      { lastEventId: '2', event: 'message', data: 'one\ntwo' },
    ]);
    expect(client.comments).toEqual(['hello']);
    expect(client.lastEventId).toBe('2');
    await client.close();
  });

  it('reconnects with its last event id, and keeps a non-2xx body as JSON', async () => {
    respond = (response, lastEventId) => {
      if (lastEventId === undefined) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('id: 7\ndata: x\n\n');
        return;
      }
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ seen: lastEventId }));
    };
    const client = await SseClient.connect(url);
    await client.waitFor((messages) => messages.length >= 1);
    const again = await client.reconnect();
    expect(client.closed).toBe(true);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ seen: '7' });
  });
});
