import { randomBytes } from 'node:crypto';
import { gatewayConfig, type GatewayConfig } from '../config';

/** A gateway on the test infrastructure (loaded from .local/env by jest.setup.js). */
export function testGatewayConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const natsUrl = process.env.NATS_URL;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!natsUrl || !databaseUrl) {
    throw new Error('NATS_URL and TEST_DATABASE_URL must be set: start the infrastructure with `npm run infra:up`');
  }
  return gatewayConfig({
    natsUrl,
    databaseUrl,
    jwtSecret: randomBytes(32).toString('base64url'),
    rpcTimeoutMs: 2_000,
    logLevels: ['fatal'],
    ...overrides,
  });
}
