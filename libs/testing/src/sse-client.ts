import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { eventually, type EventuallyOptions } from './eventually';

/** One dispatched server-sent event, as a browser's EventSource would fire it. */
export interface SseMessage {
  /** The connection's last event id when the event fired (the `id:` of it, or of an earlier frame). */
  readonly lastEventId: string;
  /** `event:`, or `message` without one. */
  readonly event: string;
  readonly data: string;
}

export interface SseConnectOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as Last-Event-ID (what an EventSource sends when it reconnects). */
  readonly lastEventId?: string;
}

/**
 * A server-sent events client for tests (WHATWG HTML "Server-sent events" parsing):
 * keeps every event and comment, tracks the last event id the way EventSource does, can
 * stop reading the socket (a stalled client), disconnect, and reconnect with
 * Last-Event-ID. A non-2xx answer is kept as `status` + `body` instead of parsed.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  /** What a reconnect sends as Last-Event-ID. */
  lastEventId: string;
  /** The body of a non-2xx answer. */
  body = '';
  private ended = false;
  private pending = '';
  private eventType = '';
  private data: string[] = [];
  private idBuffer: string;

  private constructor(
    readonly url: string,
    private readonly options: SseConnectOptions,
    private readonly request: ClientRequest,
    private readonly response: IncomingMessage,
  ) {
    this.lastEventId = options.lastEventId ?? '';
    this.idBuffer = this.lastEventId;
    response.setEncoding('utf8');
    const streaming = this.ok && /^text\/event-stream/.test(String(response.headers['content-type']));
    response.on('data', (chunk: string) => (streaming ? this.parse(chunk) : (this.body += chunk)));
    response.once('close', () => (this.ended = true));
    request.once('close', () => (this.ended = true));
  }

  /** Resolves once the response headers arrived (whatever the status). */
  static connect(url: string, options: SseConnectOptions = {}): Promise<SseClient> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { headers });
      request.once('response', (response) => resolve(new SseClient(url, options, request, response)));
      request.once('error', reject);
      request.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get headers(): IncomingMessage['headers'] {
    return this.response.headers;
  }

  /** The server ended the response, or the connection is gone. */
  get closed(): boolean {
    return this.ended;
  }

  /** The non-2xx body as JSON. */
  json<T = Record<string, unknown>>(): Promise<T> {
    return new Promise((resolve) => {
      const parse = () => resolve(JSON.parse(this.body) as T);
      if (this.response.complete) parse();
      else this.response.once('end', parse);
    });
  }

  /** Stops reading the socket: the server's writes back up as a stalled client's would. */
  pause(): void {
    this.response.pause();
  }

  resume(): void {
    this.response.resume();
  }

  /** Disconnects (as closing a browser tab does) and waits for the socket to close. */
  async close(): Promise<void> {
    if (this.request.destroyed && this.ended) return;
    const closed = new Promise<void>((resolve) => this.request.once('close', () => resolve()));
    this.request.destroy();
    await closed;
  }

  /** Disconnects, then connects again with this connection's last event id, as EventSource does. */
  async reconnect(url = this.url): Promise<SseClient> {
    await this.close();
    return SseClient.connect(url, { ...this.options, lastEventId: this.lastEventId });
  }

  /** Polls until `done` holds for the events received so far; returns them either way. */
  waitFor(
    done: (messages: readonly SseMessage[]) => boolean,
    options: EventuallyOptions = {},
  ): Promise<readonly SseMessage[]> {
    return eventually(async () => this.messages, done, { intervalMs: 25, ...options });
  }

  private parse(chunk: string): void {
    const lines = (this.pending + chunk).split(/\r\n|\n|\r(?!$)/);
    // A CR at the very end may be the first half of a CRLF: it waits with the partial line.
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
  }

  private dispatch(): void {
    this.lastEventId = this.idBuffer;
    const data = this.data;
    const event = this.eventType || 'message';
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return;
    this.messages.push({ lastEventId: this.lastEventId, event, data: data.join('\n') });
  }
}
