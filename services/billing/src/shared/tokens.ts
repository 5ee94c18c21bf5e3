/** Injection tokens of the billing module. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const BILLING_DATA_SOURCE = Symbol('BILLING_DATA_SOURCE');
export const BILLING_NOW = Symbol('BILLING_NOW');
