export * from './images.patterns';
export * from './registry.commands';
export * from './images.events';
export * from './repository.commands';
export * from './images.views';
