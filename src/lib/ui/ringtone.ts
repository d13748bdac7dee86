/** The parts of an AudioContext the ringtone uses. */
export type RingtoneContext = Pick<
  AudioContext,
  'currentTime' | 'destination' | 'createGain' | 'createOscillator' | 'resume' | 'suspend'
>;

/**
 * A UK-style ring cadence (400+450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off)
 * synthesised with Web Audio, so no audio asset has to ship.
 *
 * The context is made at the first ring and kept (a context made later, without a user gesture, might not be
 * allowed to start), but it runs only while ringing: a running context keeps an output stream open through
 * the audio service even when it plays nothing, 3-4% of a core in headless Chromium (0.34-0.45 CPU s per 10 s,
 * measured), which an advisor's laptop would pay for the rest of the shift after the first call.
 */
export class Ringtone {
  #ctx: RingtoneContext | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly createContext: () => RingtoneContext = () => new AudioContext()) {}

  start(): void {
    if (this.#timer) return;
    try {
      this.#ctx ??= this.createContext();
    } catch {
      return;
    }
    this.#ctx.resume().catch(() => {});
    const ring = () => {
      const ctx = this.#ctx;
      if (!ctx) return;
      const t = ctx.currentTime;
      for (const offset of [0, 0.6]) this.#burst(ctx, t + offset);
    };
    ring();
    this.#timer = setInterval(ring, 3000);
  }

  /** Stops ringing at once (a burst under way is cut too) and lets the context idle until the next ring. */
  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
    this.#ctx?.suspend().catch(() => {});
  }

  #burst(ctx: RingtoneContext, at: number): void {
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.15, at + 0.02);
    gain.gain.setValueAtTime(0.15, at + 0.38);
    gain.gain.linearRampToValueAtTime(0, at + 0.4);
    gain.connect(ctx.destination);
    for (const hz of [400, 450]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = hz;
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + 0.4);
    }
  }
}

/** Shows a system notification for an incoming call when the tab is hidden. */
export function notifyIncomingCall(doc: Document, from: string, onClick: () => void): void {
  if (doc.visibilityState !== 'hidden' || typeof Notification === 'undefined') return;
  if (Notification.permission !== 'granted') return;
  const n = new Notification('Incoming call', {
    body: `From ${from}`,
    tag: 'incoming-call',
    requireInteraction: true
  });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
}
