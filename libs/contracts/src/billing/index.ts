export * from './billing.events';
export * from './billing.commands';
export * from './billing.patterns';
export * from './billing.views';
