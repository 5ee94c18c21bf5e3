import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PgIdempotencyStore, type StoredResponse } from './idempotency.store';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

const HOUR = 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const response = (status: number, text: string): StoredResponse => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: Buffer.from(text),
});

describe('PgIdempotencyStore (real PostgreSQL)', () => {
  let pool: Pool;
  let store: PgIdempotencyStore;
  // Every test uses its own scope: parallel runs and earlier runs never interfere.
  let scope: string;

  beforeAll(async () => {
    pool = new Pool({ connectionString: DATABASE_URL });
    await PgIdempotencyStore.migrate(pool);
    store = new PgIdempotencyStore(pool, { ttlMs: 24 * HOUR, lockMs: 60_000 });
  });
  afterAll(() => pool?.end());
  beforeEach(() => (scope = `test:${randomUUID()}`));

  it('migrates idempotently (every instance migrates on start)', async () => {
    await Promise.all([PgIdempotencyStore.migrate(pool), PgIdempotencyStore.migrate(pool)]);
    const { rows } = await pool.query(`select version from gateway.migrations order by version`);
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('claims a new key, then replays the stored response for the same request', async () => {
    expect(await store.claim(scope, 'k', 'fp')).toEqual({ outcome: 'claimed' });
    await store.complete(scope, 'k', 'fp', response(201, '{"tenantId":"t"}'));
    expect(await store.claim(scope, 'k', 'fp')).toEqual({
      outcome: 'replay',
      response: response(201, '{"tenantId":"t"}'),
    });
    // And again: a replay does not use the answer up.
    expect((await store.claim(scope, 'k', 'fp')).outcome).toBe('replay');
  });

  it('answers mismatch for the same key with a different request, in flight or answered', async () => {
    await store.claim(scope, 'k', 'fp-1');
    expect(await store.claim(scope, 'k', 'fp-2')).toEqual({ outcome: 'mismatch' });
    await store.complete(scope, 'k', 'fp-1', response(200, '{}'));
    expect(await store.claim(scope, 'k', 'fp-2')).toEqual({ outcome: 'mismatch' });
  });

  it('answers in_flight while the first request is unanswered', async () => {
    await store.claim(scope, 'k', 'fp');
    expect(await store.claim(scope, 'k', 'fp')).toEqual({ outcome: 'in_flight' });
  });

  it('lets exactly one of many concurrent requests run', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.claim(scope, 'k', 'fp')));
    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'in_flight')).toHaveLength(19);
  });

  it('keeps keys apart per scope', async () => {
    await store.claim(scope, 'k', 'fp-1');
    await store.complete(scope, 'k', 'fp-1', response(201, 'mine'));
    expect(await store.claim(`${scope}:other`, 'k', 'fp-2')).toEqual({ outcome: 'claimed' });
  });

  it('after a release (a 5xx), runs the request afresh', async () => {
    await store.claim(scope, 'k', 'fp');
    await store.release(scope, 'k', 'fp');
    expect(await store.claim(scope, 'k', 'fp')).toEqual({ outcome: 'claimed' });
  });

  it('stores an empty body (204) as empty', async () => {
    await store.claim(scope, 'k', 'fp');
    await store.complete(scope, 'k', 'fp', { status: 204, contentType: null, body: Buffer.alloc(0) });
    expect(await store.claim(scope, 'k', 'fp')).toEqual({
      outcome: 'replay',
      response: { status: 204, contentType: null, body: Buffer.alloc(0) },
    });
  });

  describe('with short lifetimes', () => {
    let short: PgIdempotencyStore;
    beforeAll(() => (short = new PgIdempotencyStore(pool, { ttlMs: 300, lockMs: 150 })));

    it('forgets an answer once it expires: the key can be used again, for anything', async () => {
      await short.claim(scope, 'k', 'fp-1');
      await short.complete(scope, 'k', 'fp-1', response(201, 'first'));
      expect((await short.claim(scope, 'k', 'fp-1')).outcome).toBe('replay');
      await sleep(400);
      expect(await short.claim(scope, 'k', 'fp-2')).toEqual({ outcome: 'claimed' });
    });

    it('purges expired answers, and only those', async () => {
      await short.claim(scope, 'old', 'fp');
      await short.complete(scope, 'old', 'fp', response(200, 'old'));
      await sleep(400);
      await store.claim(scope, 'fresh', 'fp');
      expect(await short.purgeExpired()).toBeGreaterThanOrEqual(1);
      const { rows } = await pool.query(`select key_digest from gateway.idempotency_keys where scope = $1`, [scope]);
      expect(rows).toEqual([{ key_digest: 'fresh' }]);
    });

    it('lets the same request take over a claim abandoned past its lock, but not a different one', async () => {
      await short.claim(scope, 'k', 'fp');
      expect((await short.claim(scope, 'k', 'fp')).outcome).toBe('in_flight');
      await sleep(200);
      expect((await short.claim(scope, 'k', 'other')).outcome).toBe('mismatch');
      expect(await short.claim(scope, 'k', 'fp')).toEqual({ outcome: 'claimed' });
    });
  });
});
