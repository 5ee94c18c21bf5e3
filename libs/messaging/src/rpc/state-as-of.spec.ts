import { randomUUID } from 'node:crypto';
import type { CaasError } from '@caas/contracts';
import { type Decider, handleCommand } from '@caas/domain';
import { PostgresEventStore } from '@caas/event-store';
import type { RequestMeta } from './request-meta';
import { type StateReplay, answerStateAsOf, maskEnvValues } from './state-as-of';

type Event = { type: 'Set'; data: { name: string; spec: { env: Record<string, string> } } };
const decider: Decider<{ kind: 'Set'; name: string }, Event, { name: string; spec: { env: Record<string, string> } }> =
  {
    initialState: () => ({ name: '', spec: { env: {} } }),
    evolve: (_, event) => event.data,
    decide: (command) => [{ type: 'Set', data: { name: command.name, spec: { env: { PASSWORD: 's3cret' } } } }],
  };
const replays: Record<string, StateReplay> = { widget: { decider, mask: maskEnvValues } };

const member = (tenantId: string | null, roles = ['viewer']): RequestMeta => ({
  correlationId: randomUUID(),
  actor: { type: 'user', id: randomUUID() },
  tenantId,
  roles,
});

describe('answerStateAsOf (real PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  const tenantA = randomUUID();
  const tenantStream = `widget-${randomUUID()}`;
  const platformStream = `widget-${randomUUID()}`;
  const now = () => new Date().toISOString();
  const refusal = (payload: unknown, meta: RequestMeta) =>
    answerStateAsOf(store, replays, payload, meta).then(
      () => undefined,
      (error: CaasError) => ({ code: error.code, fields: error.extra.violations?.map((v) => `${v.field}:${v.rule}`) }),
    );

  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: process.env.TEST_DATABASE_URL! });
    const context = { actor: { type: 'user' as const, id: 'u' }, correlationId: 'c', causationId: 'c' };
    await handleCommand(store, decider, tenantStream, { kind: 'Set', name: 'A' }, { ...context, tenantId: tenantA });
    await handleCommand(store, decider, platformStream, { kind: 'Set', name: 'P' }, { ...context, tenantId: null });
  });
  afterAll(() => store.close());

  it('answers the tenant’s own stream with environment values masked', async () => {
    const view = await answerStateAsOf(store, replays, { stream: tenantStream, at: now() }, member(tenantA));
    expect(view).toMatchObject({ stream: tenantStream, revision: '0', tenantId: tenantA });
    expect(view.state).toEqual({ name: 'A', spec: { env: { PASSWORD: '***' } } });
  });

  it('answers another tenant’s stream, and one before its first event, as not found', async () => {
    expect(await refusal({ stream: tenantStream, at: now() }, member(randomUUID()))).toEqual({
      code: 'not_found',
      fields: undefined,
    });
    expect(await refusal({ stream: tenantStream, at: '2000-01-01T00:00:00Z' }, member(tenantA))).toMatchObject({
      code: 'not_found',
    });
  });

  it('gives platform-level streams to platform admins only; admins without a tenant read any stream', async () => {
    expect(await refusal({ stream: platformStream, at: now() }, member(tenantA))).toMatchObject({ code: 'forbidden' });
    const admin = member(null, ['platform-admin']);
    expect((await answerStateAsOf(store, replays, { stream: platformStream, at: now() }, admin)).tenantId).toBeNull();
    expect((await answerStateAsOf(store, replays, { stream: tenantStream, at: now() }, admin)).tenantId).toBe(tenantA);
    expect(await refusal({ stream: tenantStream, at: now() }, member(null, []))).toMatchObject({
      code: 'validation',
      fields: ['tenantId:required'],
    });
  });

  it('refuses a category it does not answer for, and bad input, naming the field', async () => {
    expect(await refusal({ stream: `credential-${randomUUID()}`, at: now() }, member(tenantA))).toEqual({
      code: 'validation',
      fields: ['stream:publicCategory'],
    });
    expect(await refusal({ stream: tenantStream, at: 'last week' }, member(tenantA))).toEqual({
      code: 'validation',
      fields: ['at:isIso8601'],
    });
    expect(await refusal({ stream: 'no dash', at: now() }, member(tenantA))).toEqual({
      code: 'validation',
      fields: ['stream:matches'],
    });
  });

  it('masks env values in objects and Docker’s NAME=value lists, anywhere', () => {
    expect(maskEnvValues({ revisions: [{ template: { env: ['A=1', 'B=2'] } }], env: { C: 'x' }, name: 'n' })).toEqual({
      revisions: [{ template: { env: ['A=***', 'B=***'] } }],
      env: { C: '***' },
      name: 'n',
    });
  });
});
