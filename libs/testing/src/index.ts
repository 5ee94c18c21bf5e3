export * from './eventually';
export * from './private-nats';
export * from './private-registry';
export * from './service-process';
export * from './scratch-database';
export * from './seeded-random';
export * from './sse-client';
