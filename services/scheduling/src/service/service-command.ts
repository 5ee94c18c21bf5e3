import type { ServiceCaller } from './service-access';

/** What every service command carries: the caller (with its tenant), the service, the time it is decided at. */
export interface ServiceCommandBase {
  readonly caller: ServiceCaller;
  readonly serviceId: string;
  /** ISO 8601, UTC: supplied by the handler so that deciding stays pure. */
  readonly at: string;
}
