import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from '../runtime/docker/test-support/engines';
import { removeEngineObjects } from './engine-cleanup';
import {
  type SchedulingUnderTest,
  type TestTenant,
  createTestTenant,
  startSchedulingForTest,
} from './scheduling-test-kit';

export interface SchedulingSuite {
  readonly sut: SchedulingUnderTest;
  /** The first local engine, for specs that register it as a host. */
  readonly endpoint: string;
  /** A tenant on the free plan with one environment. */
  readonly tenant: TestTenant;
  /** Hosts and tenants the spec made: their containers and networks are removed from the engine afterwards. */
  readonly hostIds: string[];
  readonly tenantIds: string[];
  /** A call as the tenant's developer unless `as` says otherwise. */
  call<T>(pattern: string, payload: unknown, as?: ReturnType<TestTenant['as']>): Promise<T>;
}

/**
 * The handler specs' common set-up, registered with jest's hooks: the service on its own
 * database and nats-server with a real tenancy, one real engine, one tenant; everything
 * closed and cleaned from the engine after the suite. Read its fields inside tests only.
 */
export function schedulingSuite(): SchedulingSuite {
  const state = { hostIds: [] as string[], tenantIds: [] as string[] } as {
    sut: SchedulingUnderTest;
    endpoint: string;
    tenant: TestTenant;
    hostIds: string[];
    tenantIds: string[];
  };
  beforeAll(async () => {
    const [sut, [endpoint]] = (await Promise.all([startSchedulingForTest(), dockerHosts()])) as [
      SchedulingUnderTest,
      [string],
    ];
    Object.assign(state, { sut, endpoint, tenant: await createTestTenant(sut.client) });
    state.tenantIds.push(state.tenant.tenantId);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await state.sut?.close();
    if (state.endpoint) await removeEngineObjects(state.endpoint, state.hostIds, state.tenantIds);
  });

  return {
    get sut() {
      return state.sut;
    },
    get endpoint() {
      return state.endpoint;
    },
    get tenant() {
      return state.tenant;
    },
    hostIds: state.hostIds,
    tenantIds: state.tenantIds,
    call: <T>(pattern: string, payload: unknown, as = state.tenant.as('developer')) =>
      state.sut.client.call<T>(pattern, payload, as),
  };
}
