import { randomUUID } from 'node:crypto';
import { CaasError, type ErrorCode, TENANCY, type TenantRole } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type RunningTenancy, startTenancy } from '../main';
import type { TenancyConfig } from '../tenancy.config';

export const TEST_DATABASE_URL = required('TEST_DATABASE_URL');
export const NATS_URL = required('NATS_URL');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the infrastructure with \`npm run infra:up\``);
  return value;
}

/** A unique subject prefix per test file: only this file's instances answer its requests. */
export const newSubjectPrefix = () => `test${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** Talks to a tenancy service over real NATS, the way the gateway does. */
export class TenancyClient {
  private constructor(
    private readonly proxy: ClientProxy,
    private readonly rpc: RpcClient,
    private readonly prefix: string,
  ) {}

  static async connect(prefix: string): Promise<TenancyClient> {
    const proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [NATS_URL] } });
    await proxy.connect();
    return new TenancyClient(proxy, new RpcClient(proxy, 15_000), prefix);
  }

  call<Result>(pattern: string, payload: unknown, meta: RequestMeta): Promise<Result> {
    return this.rpc.request<Result>(`${this.prefix}.${pattern}`, payload, meta);
  }

  /** The CaasError a call is refused with; fails the test when the call succeeds. */
  async refusal(pattern: string, payload: unknown, meta: RequestMeta): Promise<CaasError> {
    try {
      const result = await this.call(pattern, payload, meta);
      throw new Error(`Expected '${pattern}' to be refused, it answered ${JSON.stringify(result)}`);
    } catch (error) {
      if (!(error instanceof CaasError)) throw error;
      return error;
    }
  }

  async expectRefused(pattern: string, payload: unknown, meta: RequestMeta, code: ErrorCode): Promise<CaasError> {
    const error = await this.refusal(pattern, payload, meta);
    // The pattern and message in the object make a failure say which call answered what.
    expect({ pattern, code: error.code, message: error.message }).toMatchObject({ pattern, code });
    return error;
  }

  close(): Promise<void> {
    return this.proxy.close() as Promise<void>;
  }
}

export interface TenancyUnderTest {
  readonly client: TenancyClient;
  readonly service: RunningTenancy;
  readonly prefix: string;
  close(): Promise<void>;
}

/** Starts the service in-process on the test database, with its own subject prefix. */
export async function startTenancyForTest(config: Partial<TenancyConfig> = {}): Promise<TenancyUnderTest> {
  const prefix = config.subjectPrefix ?? newSubjectPrefix();
  const service = await startTenancy({
    databaseUrl: TEST_DATABASE_URL,
    natsUrl: NATS_URL,
    subjectPrefix: prefix,
    shutdownGraceMs: 50,
    logLevels: ['error'],
    ...config,
  });
  const client = await TenancyClient.connect(prefix);
  return {
    client,
    service,
    prefix,
    close: async () => {
      await client.close();
      await service.close();
    },
  };
}

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;
export const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;
export const PASSWORD = 'correct horse battery staple';

export function userMeta(userId: string, tenantId: string | null = null, roles: string[] = []): RequestMeta {
  return { correlationId: randomUUID(), actor: { type: 'user', id: userId }, tenantId, roles };
}

export function apiKeyMeta(keyId: string, tenantId: string, role: TenantRole): RequestMeta {
  return { correlationId: randomUUID(), actor: { type: 'api-key', id: keyId }, tenantId, roles: [role] };
}

export interface TestUser {
  readonly userId: string;
  readonly email: string;
}

export async function signUp(client: TenancyClient, label: string): Promise<TestUser> {
  const email = uniqueEmail(label);
  const { userId } = await client.call<{ userId: string }>(
    TENANCY.signUp,
    { email, name: label, password: PASSWORD },
    userMeta('anonymous'),
  );
  return { userId, email };
}

export async function createTenant(client: TenancyClient, owner: TestUser, planId?: string): Promise<string> {
  const payload = { name: uniqueName('Acme'), ...(planId ? { planId } : {}) };
  return (await client.call<{ tenantId: string }>(TENANCY.createTenant, payload, userMeta(owner.userId))).tenantId;
}

/** Invites `user` into `tenantId` with `role` (as `owner`) and accepts as `user`. */
export async function addMember(
  client: TenancyClient,
  tenantId: string,
  owner: TestUser,
  user: TestUser,
  role: TenantRole,
): Promise<void> {
  const { invitationId } = await client.call<{ invitationId: string }>(
    TENANCY.inviteMember,
    { email: user.email, role },
    userMeta(owner.userId, tenantId),
  );
  await client.call(TENANCY.acceptInvitation, { invitationId }, userMeta(user.userId));
}
