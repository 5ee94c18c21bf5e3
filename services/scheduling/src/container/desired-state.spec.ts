import { fold } from '@caas/domain';
import { containerDecider } from './container.decider';
import {
  deleteRequested,
  deleted,
  died,
  gone,
  hostId,
  restartRequested,
  running,
  scheduled,
  startRequested,
  stopRequested,
  stopped,
  t3,
} from './container.decider-fixtures';
import type { ContainerEvent } from './container.events';
import { type EngineContainerState, type ReconcileAction, reconcileAction } from './desired-state';

const state = (events: ContainerEvent[]) => fold(containerDecider, events);
const otherHost = 'b0000000-0000-4000-8000-000000000002';

const ENGINE: readonly EngineContainerState[] = [
  'missing',
  'created',
  'running',
  'restarting',
  'paused',
  'removing',
  'exited',
  'dead',
];

/** One row per situation: the action for each engine state, in ENGINE's order. */
type Row = [
  situation: string,
  history: ContainerEvent[] | undefined,
  host: string,
  actions: readonly ReconcileAction[],
];
// prettier-ignore
const TABLE: readonly Row[] = [
  // situation, history, host, then the action when the engine shows:
  //  missing     created     running     restarting  paused      removing    exited      dead
  ['scheduled, to run', [scheduled], hostId,
    ['create',    'start',     'nothing',   'nothing',   'nothing',   'nothing',   'start',     'remove']],
  ['running', running, hostId,
    ['create',    'start',     'nothing',   'nothing',   'nothing',   'nothing',   'nothing',   'remove']],
  ['died (the restart policy decides)', [...running, died()], hostId,
    ['create',    'start',     'nothing',   'nothing',   'nothing',   'nothing',   'nothing',   'remove']],
  ['died, then start asked', [...running, died(), startRequested(t3)], hostId,
    ['create',    'start',     'nothing',   'nothing',   'nothing',   'nothing',   'start',     'remove']],
  ['restart asked while running', [...running, restartRequested()], hostId,
    ['create',    'start',     'stop',      'stop',      'stop',      'nothing',   'start',     'remove']],
  ['restart: stopped, to start', [...running, restartRequested(), stopped(t3)], hostId,
    ['create',    'start',     'nothing',   'nothing',   'nothing',   'nothing',   'start',     'remove']],
  ['stop asked', [...running, stopRequested()], hostId,
    ['nothing',   'nothing',   'stop',      'stop',      'stop',      'nothing',   'nothing',   'nothing']],
  ['delete asked', deleted, hostId,
    ['remove',    'remove',    'stop',      'stop',      'stop',      'nothing',   'remove',    'remove']],
  ['delete asked before it ever ran', [scheduled, deleteRequested()], hostId,
    ['remove',    'remove',    'stop',      'stop',      'stop',      'nothing',   'remove',    'remove']],
  ['removed, back on a returning host', gone, hostId,
    ['nothing',   'remove',    'stop',      'stop',      'stop',      'nothing',   'remove',    'remove']],
  ['orphan: no desired state', undefined, hostId,
    ['nothing',   'remove',    'stop',      'stop',      'stop',      'nothing',   'remove',    'remove']],
  ['orphan: never scheduled', [], hostId,
    ['nothing',   'remove',    'stop',      'stop',      'stop',      'nothing',   'remove',    'remove']],
  ['a copy on a host it is not placed on', running, otherHost,
    ['nothing',   'remove',    'stop',      'stop',      'stop',      'nothing',   'remove',    'remove']],
];

describe('reconcileAction: what the reconciler does on a host', () => {
  for (const [situation, events, host, actions] of TABLE) {
    describe(situation, () => {
      ENGINE.forEach((engine, index) => {
        it(`engine ${engine} → ${actions[index]}`, () =>
          expect(reconcileAction(events && state(events), host, engine)).toBe(actions[index]));
      });
    });
  }
});
