/**
 * Runs a job every `intervalMinutes`, never two at once (the next run is scheduled only after the previous
 * one settled), first after `firstDelayMs`. Timers are unref'd so they never keep a process alive.
 *
 * ```
 *  start ──firstDelay──► run ──settled──interval──► run ──settled──interval──► …   stop() ends the chain
 * ```
 */
export interface RepeatingJobOptions {
  /** 0 disables: nothing is scheduled. */
  intervalMinutes: number;
  firstDelayMs: number;
  run: () => Promise<unknown>;
  /** Called with whatever a run threw; the chain continues. */
  onError: (err: unknown) => void;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => unknown };
  clearTimer?: (timer: unknown) => void;
}

/** A started job; `stop()` cancels the next run (a run in progress finishes). */
export interface RepeatingJob {
  stop(): void;
  readonly running: boolean;
}

/** Starts the chain described in {@link RepeatingJobOptions}. */
export function startRepeatingJob(options: RepeatingJobOptions): RepeatingJob {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let stopped = options.intervalMinutes <= 0;
  let running = false;
  const schedule = (ms: number): void => {
    if (stopped) return;
    const t = setTimer(tick, ms);
    t.unref?.();
    timer = t;
  };
  function tick(): void {
    timer = null;
    running = true;
    options
      .run()
      .catch(options.onError)
      .finally(() => {
        running = false;
        schedule(options.intervalMinutes * 60_000);
      });
  }
  schedule(options.firstDelayMs);
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    get running() {
      return running;
    }
  };
}
