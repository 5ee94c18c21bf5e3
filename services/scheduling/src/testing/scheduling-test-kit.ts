import { randomUUID } from 'node:crypto';
import { CaasError, type ErrorCode, TENANCY, type TenantRole } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import {
  type PrivateNats,
  type ScratchDatabase,
  type ServiceProcess,
  createScratchDatabase,
  startPrivateNats,
  startServiceProcess,
} from '@caas/testing';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type RunningScheduling, startScheduling } from '../main';
import type { SchedulingConfig } from '../scheduling.config';

/**
 * The scheduling service in-process, on a database and a nats-server of the spec file's
 * own, beside a real tenancy (quotas, environments) run as a child process exactly as
 * `npm start` runs it — no service's specs import another service's code. Its own
 * database, because the service folds every host and container in its store: on the
 * shared test database it would heartbeat and reconcile other specs' hosts.
 */
export interface SchedulingUnderTest {
  readonly scheduling: RunningScheduling;
  readonly tenancy: ServiceProcess;
  readonly client: RpcTestClient;
  /** The scratch database the service runs on (its store and read models). */
  readonly databaseUrl: string;
  close(): Promise<void>;
}

export async function startSchedulingForTest(config: Partial<SchedulingConfig> = {}): Promise<SchedulingUnderTest> {
  const prefix = `test${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const nats: PrivateNats | null = await startPrivateNats({ jetstream: true });
  const natsUrl = nats?.url ?? required('NATS_URL');
  const database: ScratchDatabase = await createScratchDatabase('caas_scheduling');
  const cleanUp: Array<() => Promise<unknown>> = [() => database.drop(), async () => nats?.stop()];
  const closeAll = async () => {
    for (const close of cleanUp.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const [tenancy, scheduling] = await Promise.all([
      startServiceProcess('tenancy', { DATABASE_URL: database.url, NATS_URL: natsUrl, NATS_SUBJECT_PREFIX: prefix }),
      startScheduling({
        databaseUrl: database.url,
        natsUrl,
        subjectPrefix: prefix,
        shutdownGraceMs: 50,
        logLevels: ['error'],
        ...config,
      }),
    ]);
    cleanUp.push(
      () => tenancy.stop(),
      () => scheduling.close(),
    );
    const client = await RpcTestClient.connect(natsUrl, prefix);
    cleanUp.push(() => client.close());
    return { scheduling, tenancy, client, databaseUrl: database.url, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the infrastructure with \`npm run infra:up\``);
  return value;
}

/** Calls subjects under the test's prefix, the way the gateway calls them. */
export class RpcTestClient {
  private constructor(
    private readonly proxy: ClientProxy,
    private readonly rpc: RpcClient,
    private readonly prefix: string,
  ) {}

  static async connect(natsUrl: string, prefix: string): Promise<RpcTestClient> {
    const proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [natsUrl] } });
    await proxy.connect();
    return new RpcTestClient(proxy, new RpcClient(proxy, 20_000), prefix);
  }

  call<Result>(pattern: string, payload: unknown, meta: RequestMeta): Promise<Result> {
    return this.rpc.request<Result>(`${this.prefix}.${pattern}`, payload, meta);
  }

  /** The CaasError a call is refused with, after checking its code; fails the test when the call succeeds. */
  async expectRefused(pattern: string, payload: unknown, meta: RequestMeta, code: ErrorCode): Promise<CaasError> {
    let refusal: CaasError;
    try {
      const result = await this.call(pattern, payload, meta);
      throw new Error(`Expected '${pattern}' to be refused, it answered ${JSON.stringify(result)}`);
    } catch (error) {
      if (!(error instanceof CaasError)) throw error;
      refusal = error;
    }
    // The pattern and message in the object make a failure say which call answered what.
    expect({ pattern, code: refusal.code, message: refusal.message }).toMatchObject({ pattern, code });
    return refusal;
  }

  close(): Promise<void> {
    return this.proxy.close() as Promise<void>;
  }
}

export function userMeta(userId: string, tenantId: string | null, roles: string[] = []): RequestMeta {
  return { correlationId: randomUUID(), actor: { type: 'user', id: userId }, tenantId, roles };
}

export const platformAdmin = (): RequestMeta => userMeta(randomUUID(), null, ['platform-admin']);

/** A tenant on `planId` with one environment, its owner, and metas for each role (as the gateway sends them). */
export interface TestTenant {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly ownerId: string;
  as(role: TenantRole): RequestMeta;
}

export async function createTestTenant(client: RpcTestClient, planId = 'free'): Promise<TestTenant> {
  const label = randomUUID().slice(0, 8);
  const { userId } = await client.call<{ userId: string }>(
    TENANCY.signUp,
    { email: `owner-${label}@example.com`, name: 'Owner', password: 'correct horse battery staple' },
    userMeta('anonymous', null),
  );
  const { tenantId } = await client.call<{ tenantId: string }>(
    TENANCY.createTenant,
    { name: `Acme ${label}`, planId },
    userMeta(userId, null),
  );
  const owner = userMeta(userId, tenantId, ['owner']);
  const { environmentId } = await client.call<{ environmentId: string }>(
    TENANCY.createEnvironment,
    { name: 'production' },
    owner,
  );
  // Tenancy checks a user's role itself; scheduling trusts Caas-Roles. An API key's
  // role is the gateway's word for both, so other roles are API keys of the tenant.
  const as = (role: TenantRole): RequestMeta =>
    role === 'owner'
      ? userMeta(userId, tenantId, ['owner'])
      : { correlationId: randomUUID(), actor: { type: 'api-key', id: randomUUID() }, tenantId, roles: [role] };
  return { tenantId, environmentId, ownerId: userId, as };
}

/** A container payload the free plan affords twice (0.1 vCPU, 64 MB each). */
export function containerPayload(environmentId: string, extra: Record<string, unknown> = {}) {
  return {
    environmentId,
    image: 'caas/busybox:1',
    command: ['sh', '-c', 'sleep 3600'],
    resources: { cpus: 0.1, memoryMb: 64 },
    ...extra,
  };
}
