import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../signature';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Checked as a receiver would, with the secret the path was given and now's clock. */
  readonly verified: boolean;
}

/** What the receiver answers a request on a path (the n-th on that path, from 1). */
export type Answer = (request: ReceivedRequest, nth: number) => number | Promise<number>;

/**
 * A real HTTP endpoint on loopback for webhook tests: every request is recorded with
 * whether its signature verifies under the path's secret; each path answers as told
 * (200 by default), and may hold answers back to keep requests in flight.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly answers = new Map<string, Answer>();
  private readonly counts = new Map<string, number>();
  private inFlight = 0;
  /** The most requests this receiver had open at once, per path. */
  readonly maxInFlight = new Map<string, number>();
  private readonly inFlightByPath = new Map<string, number>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void receiver.answer(request.url ?? '/', request.headers, Buffer.concat(chunks).toString('utf8')).then(
          (status) => response.writeHead(status).end(),
          () => response.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  secretFor(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  answerOn(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  openOn(path: string): number {
    return this.inFlightByPath.get(path) ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(path: string, headers: IncomingHttpHeaders, body: string): Promise<number> {
    const secret = this.secrets.get(path);
    const signature = headers['caas-signature'];
    const verified =
      !!secret && verifySignature(secret, Array.isArray(signature) ? signature[0] : signature, body, Date.now() / 1000);
    const received: ReceivedRequest = { path, headers, body, verified };
    this.requests.push(received);
    const nth = (this.counts.get(path) ?? 0) + 1;
    this.counts.set(path, nth);
    this.inFlight += 1;
    const open = (this.inFlightByPath.get(path) ?? 0) + 1;
    this.inFlightByPath.set(path, open);
    this.maxInFlight.set(path, Math.max(this.maxInFlight.get(path) ?? 0, open));
    try {
      return await (this.answers.get(path) ?? (() => 200))(received, nth);
    } finally {
      this.inFlight -= 1;
      this.inFlightByPath.set(path, (this.inFlightByPath.get(path) ?? 1) - 1);
    }
  }
}
