export * from './decider';
export * from './command-handler';
export * from './deterministic-id';
export * from './exhaustive';
export * from './recorded';
export * from './state-as-of';
