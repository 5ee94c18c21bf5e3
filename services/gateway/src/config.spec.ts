import { configFromEnv, DEFAULTS, gatewayConfig } from './config';

const base = { NATS_URL: 'nats://n:4222', DATABASE_URL: 'postgres://p/db' };
const noWarning = (message: string) => {
  throw new Error(`unexpected warning: ${message}`);
};

describe('configFromEnv', () => {
  it('reads the environment, with defaults for what is not set', () => {
    const config = configFromEnv(
      { ...base, JWT_SECRET: 's'.repeat(32), PORT: '9000', RATE_LIMIT_PER_MINUTE: '5' },
      noWarning,
    );
    expect(config).toMatchObject({
      natsUrl: 'nats://n:4222',
      databaseUrl: 'postgres://p/db',
      jwtSecret: 's'.repeat(32),
      port: 9000,
      host: '127.0.0.1',
      rateLimitPerMinute: 5,
      bodyLimitBytes: 256 * 1024,
      idempotencyTtlMs: 24 * 60 * 60 * 1000,
    });
  });

  it('refuses to start in production without a JWT_SECRET, or with a short one', () => {
    expect(() => configFromEnv({ ...base, NODE_ENV: 'production' }, jest.fn())).toThrow(/JWT_SECRET must be set/);
    expect(() => configFromEnv({ ...base, NODE_ENV: 'production', JWT_SECRET: 'short' }, jest.fn())).toThrow(
      /at least 32/,
    );
  });

  it('uses a random secret in development, and says so', () => {
    const warn = jest.fn();
    const a = configFromEnv(base, warn);
    const b = configFromEnv(base, warn);
    expect(a.jwtSecret).toHaveLength(43);
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/JWT_SECRET is not set/));
  });

  it('names the variable that is missing or malformed', () => {
    expect(() => configFromEnv({ DATABASE_URL: 'x', JWT_SECRET: 's'.repeat(32) }, noWarning)).toThrow(
      'NATS_URL must be set',
    );
    expect(() => configFromEnv({ ...base, JWT_SECRET: 's'.repeat(32), PORT: '80a' }, noWarning)).toThrow(
      /PORT must be/,
    );
  });

  it('never lets credentials be cached longer than 5 s', () => {
    expect(() => gatewayConfig({ natsUrl: 'n', databaseUrl: 'd', jwtSecret: 's', credentialCacheMs: 5_001 })).toThrow(
      /at most 5000/,
    );
    expect(DEFAULTS.credentialCacheMs).toBeLessThanOrEqual(5_000);
  });
});
