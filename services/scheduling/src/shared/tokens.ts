/** Nest injection token for the EventStore port (an interface, so it needs a token). */
export const EVENT_STORE = Symbol('EventStore');
