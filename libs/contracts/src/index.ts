export * from './metadata';
export * from './errors';
export * from './tenancy';
export * from './scheduling';
export * from './images';
export * from './billing';
export * from './events';
export * from './monitoring';
