import { type Decider, assertNever } from '@caas/domain';
import { type DrainHost, drainHost } from './drain-host';
import { type HostEvent, type HostState, evolveHost, initialHostState } from './host.events';
import { type MarkHostDown, markHostDown } from './mark-host-down';
import { type MarkHostUp, markHostUp } from './mark-host-up';
import { type RegisterHost, registerHost } from './register-host';
import { type RemoveHost, removeHost } from './remove-host';

export type HostCommand = RegisterHost | MarkHostDown | MarkHostUp | DrainHost | RemoveHost;

export const hostDecider: Decider<HostCommand, HostEvent, HostState> = {
  initialState: initialHostState,
  evolve: evolveHost,
  decide: (command, state) => {
    switch (command.kind) {
      case 'RegisterHost':
        return registerHost(command, state);
      case 'MarkHostDown':
        return markHostDown(command, state);
      case 'MarkHostUp':
        return markHostUp(command, state);
      case 'DrainHost':
        return drainHost(command, state);
      case 'RemoveHost':
        return removeHost(command, state);
      default:
        return assertNever(command);
    }
  },
};
