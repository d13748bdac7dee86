/**
 * Plays the remote audio of each live leg through one hidden <audio> element per
 * leg, on the chosen speaker. A held leg's element is muted (the receiver tracks
 * are disabled too) so the advisor does not hear the other party while on hold.
 */
export class AudioOutput {
  #elements = new Map<string, HTMLAudioElement>();
  #sinkId = '';

  constructor(private readonly doc: Document) {}

  /** Starts playing `stream` for leg `legId` (replacing what it played before). */
  attach(legId: string, stream: MediaStream): void {
    let el = this.#elements.get(legId);
    if (!el) {
      el = this.doc.createElement('audio');
      el.autoplay = true;
      el.dataset.leg = legId;
      el.hidden = true;
      this.doc.body.appendChild(el);
      this.#elements.set(legId, el);
      if (this.#sinkId) void this.#applySink(el);
    }
    el.srcObject = stream;
    el.play().catch(() => {
      /* autoplay before a gesture: the next user action resumes playback */
    });
  }

  setMuted(legId: string, muted: boolean): void {
    const el = this.#elements.get(legId);
    if (el) el.muted = muted;
  }

  detach(legId: string): void {
    const el = this.#elements.get(legId);
    if (!el) return;
    el.srcObject = null;
    el.remove();
    this.#elements.delete(legId);
  }

  /** Moves every leg's audio to another speaker without interrupting it. */
  async setSink(deviceId: string): Promise<void> {
    this.#sinkId = deviceId;
    await Promise.all([...this.#elements.values()].map((el) => this.#applySink(el)));
  }

  async #applySink(el: HTMLAudioElement): Promise<void> {
    const withSink = el as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (typeof withSink.setSinkId === 'function') await withSink.setSinkId(this.#sinkId);
  }
}
