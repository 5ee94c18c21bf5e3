import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, requireContainer } from './container.guards';

/** Its filesystem was saved as an image and pushed to the platform registry. */
export interface RecordContainerCommitted extends ContainerCommandBase {
  readonly kind: 'RecordContainerCommitted';
  readonly image: string;
  readonly digest: string;
}

/** Recorded after the push, even if the container was deleted meanwhile: the image exists. */
export function recordContainerCommitted(command: RecordContainerCommitted, state: ContainerState): ContainerEvent[] {
  requireContainer(state, command);
  const { tenantId, containerId, image, digest, at } = command;
  return [{ type: 'ContainerCommitted', data: { tenantId, containerId, hostId: state.hostId, image, digest, at } }];
}
