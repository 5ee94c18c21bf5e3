export * from './roles';
export * from './plan-limits';
export * from './tenancy.events';
export * from './tenancy.commands';
export * from './tenancy.patterns';
export * from './tenancy.views';
