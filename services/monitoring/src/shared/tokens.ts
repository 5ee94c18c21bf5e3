/** Nest injection tokens for what main.ts (or a test) builds and hands to the module. */
export const EVENT_STORE = Symbol('EventStore');
export const MONITORING_DATA_SOURCE = Symbol('MonitoringDataSource');
export const MONITORING_CONFIG = Symbol('MonitoringConfig');
export const NATS_CONNECTION = Symbol('NatsConnection');
