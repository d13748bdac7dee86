/**
 * A UK-style ring cadence (400+450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off)
 * synthesised with Web Audio, so no audio asset has to ship.
 */
export class Ringtone {
  #ctx: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  start(): void {
    if (this.#timer) return;
    try {
      this.#ctx ??= new AudioContext();
    } catch {
      return;
    }
    const ring = () => {
      const ctx = this.#ctx;
      if (!ctx) return;
      const t = ctx.currentTime;
      for (const offset of [0, 0.6]) this.#burst(ctx, t + offset);
    };
    ring();
    this.#timer = setInterval(ring, 3000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #burst(ctx: AudioContext, at: number): void {
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
