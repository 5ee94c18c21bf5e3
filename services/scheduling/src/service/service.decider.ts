import { type Decider, assertNever } from '@caas/domain';
import { type CreateService, createService } from './create-service';
import { type RemoveService, removeService } from './remove-service';
import {
  type ReportReplicaHealthy,
  type ReportReplicaStarted,
  type ReportReplicaStopped,
  type ReportReplicaUnhealthy,
  reportReplicaHealthy,
  reportReplicaStarted,
  reportReplicaStopped,
  reportReplicaUnhealthy,
} from './report-replica';
import { type ScaleService, scaleService } from './scale-service';
import { type ServiceEvent, type ServiceState, evolveService, initialServiceState } from './service.events';
import { type UpdateService, updateService } from './update-service';

export type ServiceCommand =
  | CreateService
  | ScaleService
  | UpdateService
  | RemoveService
  | ReportReplicaStarted
  | ReportReplicaHealthy
  | ReportReplicaUnhealthy
  | ReportReplicaStopped;

export const serviceDecider: Decider<ServiceCommand, ServiceEvent, ServiceState> = {
  initialState: initialServiceState,
  evolve: evolveService,
  decide: (command, state) => {
    switch (command.kind) {
      case 'CreateService':
        return createService(command, state);
      case 'ScaleService':
        return scaleService(command, state);
      case 'UpdateService':
        return updateService(command, state);
      case 'RemoveService':
        return removeService(command, state);
      case 'ReportReplicaStarted':
        return reportReplicaStarted(command, state);
      case 'ReportReplicaHealthy':
        return reportReplicaHealthy(command, state);
      case 'ReportReplicaUnhealthy':
        return reportReplicaUnhealthy(command, state);
      case 'ReportReplicaStopped':
        return reportReplicaStopped(command, state);
      default:
        return assertNever(command);
    }
  },
};
