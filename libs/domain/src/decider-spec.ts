import { CaasError, type ErrorCode } from '@caas/contracts';
import { fold, type Decider, type DomainEvent } from './decider';

/**
 * Decider tests read as given(events) / when(command) / then(events | error):
 *
 *   spec(tenantDecider).given([tenantCreated]).when(renameTenant).then([tenantRenamed]);
 *   spec(tenantDecider).given([]).when(renameTenant).thenFails('not_found');
 */
export function spec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, fold(decider, history));
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenFails(code: ErrorCode, message?: string | RegExp): void {
              let error: unknown;
              try {
                run();
              } catch (caught) {
                error = caught;
              }
              expect(error).toBeInstanceOf(CaasError);
              expect((error as CaasError).code).toBe(code);
              if (message) expect((error as CaasError).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
