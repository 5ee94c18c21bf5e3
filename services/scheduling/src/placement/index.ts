export * from './types';
export { FILTER_ORDER } from './filters';
export { describeConstraint, matchesConstraint } from './constraints';
export { fitScore } from './scoring';
export { placeOnHosts, ReferencePlacer } from './reference-placer';
export { IndexedPlacer } from './indexed-placer';
export { placeReplicas, type ReplicaPlacements } from './batch';
