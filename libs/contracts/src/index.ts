export * from './metadata';
export * from './errors';
