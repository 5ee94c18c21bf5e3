export * from './monitoring.events';
export * from './webhooks.contracts';
export * from './audit.contracts';
export * from './dashboard.contracts';
