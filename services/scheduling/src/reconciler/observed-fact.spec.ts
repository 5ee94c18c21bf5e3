import { fold } from '@caas/domain';
import { containerDecider } from '../container/container.decider';
import { died, running, scheduledAll, stopped } from '../container/container.decider-fixtures';
import type { ObservedContainer } from '../runtime/docker';
import { LOST_EXIT_CODE, observedFact } from './observed-fact';

const at = '2026-11-22T10:00:00.000Z';
const engine = (state: ObservedContainer['state'], exitCode = 0): ObservedContainer => ({
  engineId: 'e'.repeat(64),
  name: 'caas-x',
  image: 'caas/busybox:1',
  labels: {},
  state,
  exitCode,
  createdAt: at,
});

describe('observedFact', () => {
  const scheduledState = fold(containerDecider, scheduledAll);
  const runningState = fold(containerDecider, [...scheduledAll, ...running.slice(1)]);

  it('records a start the stream has not seen (the engine restarted it, or we crashed after starting it)', () => {
    expect(observedFact(scheduledState, engine('running'), at)).toMatchObject({ kind: 'RecordContainerStarted', at });
    expect(observedFact(runningState, engine('running'), at)).toBeUndefined();
  });

  it('records an exit with its code, also one that happened before the start was seen', () => {
    expect(observedFact(runningState, engine('exited', 137), at)).toMatchObject({
      kind: 'RecordContainerDied',
      exitCode: 137,
    });
    expect(observedFact(scheduledState, engine('exited', 2), at)).toMatchObject({ exitCode: 2 });
    expect(observedFact(fold(containerDecider, [...scheduledAll, died()]), engine('exited'), at)).toBeUndefined();
    expect(observedFact(fold(containerDecider, [...running, stopped()]), engine('exited'), at)).toBeUndefined();
  });

  it('records a running container its engine lost as died, and a never-created one as nothing', () => {
    expect(observedFact(runningState, undefined, at)).toMatchObject({ exitCode: LOST_EXIT_CODE });
    expect(observedFact(scheduledState, undefined, at)).toBeUndefined();
    expect(observedFact(scheduledState, engine('created'), at)).toBeUndefined();
  });
});
