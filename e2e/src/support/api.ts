import { randomUUID } from 'node:crypto';

/** Answers are checked field by field against what the API documents; typing each view here would only repeat it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const PASSWORD = 'correct horse battery staple';

export interface Answer<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** The gateway's public HTTP API, as a client sees it. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async call<T = Json>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Fails with the answer's body, so a failing step says what the gateway answered. */
  async expect<T = Json>(status: number, method: string, path: string, options?: CallOptions): Promise<Answer<T>> {
    const answer = await this.call<T>(method, path, options);
    if (answer.status !== status) {
      throw new Error(`${method} ${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
    }
    return answer;
  }

  async signUp(label: string): Promise<{ userId: string; email: string; token: string }> {
    const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
    const { body } = await this.expect(201, 'POST', '/v1/auth/signup', {
      body: { email, name: label, password: PASSWORD },
    });
    return { userId: body.userId, email, token: await this.login(email, PASSWORD) };
  }

  async login(email: string, password: string): Promise<string> {
    return (await this.expect(200, 'POST', '/v1/auth/login', { body: { email, password } })).body.token;
  }

  async createTenant(userToken: string): Promise<{ tenantId: string; token: string }> {
    const name = `Acme ${randomUUID().slice(0, 8)}`;
    const { body } = await this.expect(201, 'POST', '/v1/tenants', { token: userToken, body: { name } });
    return { tenantId: body.tenantId, token: await this.tenantToken(userToken, body.tenantId) };
  }

  async tenantToken(userToken: string, tenantId: string): Promise<string> {
    return (await this.expect(200, 'POST', '/v1/auth/token', { token: userToken, body: { tenantId } })).body.token;
  }
}

/** A JWT's claims, unverified (the gateway verifies; a test only looks). */
export function decodeJwt(token: string): Json {
  return jwtPart(token, 1);
}

/** A JWT's header (alg, typ). */
export function jwtHeader(token: string): Json {
  return jwtPart(token, 0);
}

function jwtPart(token: string, index: number): Json {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`not a JWT: ${token}`);
  return JSON.parse(Buffer.from(parts[index], 'base64url').toString('utf8'));
}
