import { type Decider, assertNever } from '@caas/domain';
import { type DefinePlan, definePlan } from './define-plan';
import { type PlanEvent, type PlanState, evolvePlan, initialPlanState } from './plan.events';

export type PlanCommand = DefinePlan;

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  initialState: initialPlanState,
  evolve: evolvePlan,
  decide: (command, state) => {
    switch (command.kind) {
      case 'DefinePlan':
        return definePlan(command, state);
      default:
        return assertNever(command.kind);
    }
  },
};
