import { requireVisible, requireWriter } from './service-access';
import type { ServiceCommandBase } from './service-command';
import type { ServiceEvent, ServiceState } from './service.events';

export interface RemoveService extends ServiceCommandBase {
  readonly kind: 'RemoveService';
}

/** Ends any rollout (no RolloutCompleted); the planner then stops every replica. */
export function removeService(command: RemoveService, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, at } = command;
  requireVisible(state, caller, serviceId);
  requireWriter(caller, 'remove services');
  return [
    { type: 'ServiceRemoved', data: { tenantId: state.tenantId, environmentId: state.environmentId, serviceId, at } },
  ];
}
