/** Milliseconds since the epoch of an ISO 8601 time; NaN when it is not one. */
export const millisOf = (iso: string): number => Date.parse(iso);
