// The audit slice's patterns and views (filled in by that slice).
export {};
