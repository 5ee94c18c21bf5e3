import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
  /** As docs/webhooks.md tells receivers to check: the HMAC of "<t>.<body>", t within 5 minutes. */
  readonly verified: boolean;
}

/**
 * A tenant's webhook endpoint on loopback, written the way docs/webhooks.md tells
 * receivers to write one (its own verification, none of the platform's code): it
 * verifies every request, records it, and answers what the test says.
 */
export class WebhookReceiverEndpoint {
  readonly received: ReceivedWebhook[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly statuses = new Map<string, (nth: number) => number>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiverEndpoint> {
    const server = createServer();
    const endpoint = new WebhookReceiverEndpoint(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        const nth = endpoint.on(path).length + 1;
        const status = (endpoint.statuses.get(path) ?? (() => 200))(nth);
        const secret = endpoint.secrets.get(path);
        const verified =
          !!secret && verifyWebhook(secret, request.headers['caas-signature'] as string | undefined, body);
        endpoint.received.push({ path, headers: request.headers, body, status, verified });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  secretFor(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  answer(path: string, status: (nth: number) => number): void {
    this.statuses.set(path, status);
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** docs/webhooks.md's verification, verbatim in substance. */
export function verifyWebhook(secret: string, header: string | undefined, body: string): boolean {
  if (!header) return false;
  const fields = header.split(',').map((part) => part.split('=', 2) as [string, string]);
  const timestamp = Number(fields.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return fields.some(([key, value]) => {
    if (key !== 'v1') return false;
    const given = Buffer.from(value, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
