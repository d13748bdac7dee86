/**
 * Small helpers shared by every written-down state machine in the domain layer
 * (registration, call leg, transfer). Each machine declares a string-union state,
 * a string-union event and a transition table; these helpers apply the table and
 * guard against impossible transitions with a message that names the machine,
 * the allowed states and the actual state.
 */

/** A transition table: for each state, the events it accepts and the state each leads to. */
export type TransitionTable<S extends string, E extends string> = Readonly<
  Record<S, Readonly<Partial<Record<E, S>>>>
>;

/** Thrown when a machine is asked to do something its current state does not allow. */
export class InvalidTransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly event: string,
    readonly expected: readonly string[],
    readonly actual: string
  ) {
    super(`${machine}: cannot ${event}: expected state ${formatStates(expected)}, was ${actual}`);
    this.name = 'InvalidTransitionError';
  }
}

function formatStates(states: readonly string[]): string {
  if (states.length === 0) return '(none)';
  if (states.length === 1) return states[0] as string;
  return `${states.slice(0, -1).join(', ')} or ${states[states.length - 1]}`;
}

/** The states from which `event` is accepted, in table order. */
export function statesAccepting<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  event: E
): S[] {
  return (Object.keys(table) as S[]).filter((s) => table[s][event] !== undefined);
}

/** Applies `event` to `state`; throws {@link InvalidTransitionError} when the table has no such edge. */
export function transition<S extends string, E extends string>(
  machine: string,
  table: TransitionTable<S, E>,
  state: S,
  event: E
): S {
  const next = table[state][event];
  if (next === undefined) {
    throw new InvalidTransitionError(machine, event, statesAccepting(table, event), state);
  }
  return next;
}

/** True when the table accepts `event` in `state`. */
export function canTransition<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  state: S,
  event: E
): boolean {
  return table[state][event] !== undefined;
}

/** Guard: throws unless `state` is one of `allowed`. */
export function assertState<S extends string>(
  machine: string,
  action: string,
  state: S,
  allowed: readonly S[]
): void {
  if (!allowed.includes(state)) throw new InvalidTransitionError(machine, action, allowed, state);
}
