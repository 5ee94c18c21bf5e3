// Monitoring's contracts: each slice's patterns, views and events, one export line each.
export {};
