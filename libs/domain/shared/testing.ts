/// <reference types="jest" />
// Spec support only (uses jest's global expect); production code never imports it.
import { Decider, DomainEvent, fold } from './decider';
import { DomainError } from './errors';

/** What a refusal must look like beyond its code (checked with toMatchObject). */
export interface ExpectedRefusal {
  kind?: DomainError['kind'];
  details?: Record<string, unknown>;
}

/**
 * given(decider, history).when(command).then(events) / .thenThrows(code):
 * the Emmett-style specification of a decider. `then` also folds the produced events,
 * so evolve is exercised on every spec, and returns the resulting state.
 */
export function given<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  history: readonly Event[] = [],
) {
  const state = () => fold(decider, history);
  return {
    when(command: Command) {
      const decide = () => decider.decide(command, state());
      return {
        then(expected: Event[]): State {
          const produced = decide();
          expect(produced).toEqual(expected);
          return fold(decider, [...history, ...produced]);
        },
        thenThrows(code: string, refusal: ExpectedRefusal = {}): DomainError {
          let produced: Event[];
          try {
            produced = decide();
          } catch (caught) {
            expect(caught).toBeInstanceOf(DomainError);
            const error = caught as DomainError;
            expect(error.code).toBe(code);
            if (refusal.kind) expect(error.kind).toBe(refusal.kind);
            if (refusal.details) expect(error.details).toMatchObject(refusal.details);
            return error;
          }
          throw new Error(`expected ${code}, but decide returned ${JSON.stringify(produced)}`);
        },
      };
    },
  };
}
