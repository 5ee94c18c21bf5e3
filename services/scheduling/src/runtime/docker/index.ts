export {
  DockerHostDriver,
  type DockerHostDriverOptions,
  type HostInfo,
  type LogsOptions,
  type VolumeUsage,
} from './docker-host-driver';
export type { DockerTls } from './endpoint';
export {
  ContainerNotFoundError,
  HostUnreachableError,
  ImageNotFoundError,
  ImageTransferError,
  RuntimeError,
} from './errors';
export type { ContainerState, HealthStatus, ObservedContainer } from './observed-container';
export {
  ContainerEventFeed,
  type ContainerAction,
  type ContainerEvent,
  type ContainerEventsOptions,
  type ContainerFeedMessage,
} from './container-events';
export type { LogEntry, LogSource } from './log-stream';
