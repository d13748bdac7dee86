import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '$lib/outbox/memory-outbox-store';
import type { PhoneEvent } from '$lib/sip/phone-events';
import type { RecorderLike } from './capture-session';
import { RecordingCoordinator } from './recording-coordinator';

type SegmentCb = Parameters<RecorderLike['onSegment']>[0];

/** A recorder that logs what it is told; segments are pushed by the test. */
class FakeRecorder implements RecorderLike {
  current = 'idle';
  log: string[];
  segment: SegmentCb = () => undefined;
  constructor(log: string[]) {
    this.log = log;
  }
  async start(id: string) {
    this.log.push(`start ${id.length}`);
    this.current = 'capturing';
  }
  pause(reason: string) {
    this.log.push(`pause ${reason}`);
    this.current = 'paused';
  }
  resume() {
    this.log.push('resume');
    this.current = 'capturing';
  }
  async stop() {
    this.log.push('stop');
    this.current = 'stopped';
  }
  addSource() {}
  removeSource() {}
  onSegment(cb: SegmentCb) {
    this.segment = cb;
    return () => undefined;
  }
  onChunk() {
    return () => undefined;
  }
  onError() {
    return () => undefined;
  }
}

class FakePhone {
  listeners: ((e: PhoneEvent) => void)[] = [];
  legs = new Map<string, { state: string }>();
  onEvent(l: (e: PhoneEvent) => void) {
    this.listeners.push(l);
    return () => undefined;
  }
  emit(e: PhoneEvent) {
    for (const l of this.listeners) l(e);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));
let log: string[];
let store: MemoryOutboxStore;
let phone: FakePhone;
let recorders: FakeRecorder[];
let coordinator: RecordingCoordinator;
let clock: number;

beforeEach(() => {
  log = [];
  store = new MemoryOutboxStore();
  phone = new FakePhone();
  recorders = [];
  clock = 1_790_000_000_000;
  coordinator = new RecordingCoordinator(phone, {
    store,
    createRecorder: () => {
      const r = new FakeRecorder(log);
      recorders.push(r);
      return r;
    },
    kickUpload: () => log.push('kick'),
    now: () => (clock += 1000),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    policy: { paymentTargets: ['7000'] },
    onProblem: (m) => log.push(`problem ${m}`),
    actor: 'alice'
  });
});

function mainLineCall() {
  phone.emit({ type: 'incoming', legId: 'L1', recordedLine: true, remoteNumber: '3001' });
  phone.emit({ type: 'connected', legId: 'L1', consultation: false });
}

describe('RecordingCoordinator', () => {
  it('records a main-line call from connect, pauses on hold, and finishes with what was captured', async () => {
    phone.emit({ type: 'incoming', legId: 'L1', recordedLine: true, remoteNumber: '3001' });
    expect(coordinator.status).toEqual({ state: 'pending' });
    // The pipeline warms up while the call rings, but paused: nothing is captured before connect.
    expect(recorders).toHaveLength(1);
    expect(log).toContain('pause not connected');
    expect(log).not.toContain('resume');
    phone.emit({ type: 'connected', legId: 'L1', consultation: false });
    expect(coordinator.status).toEqual({ state: 'recording' });
    await flush();
    const [rec] = [...store.recordings.values()];
    expect(rec).toMatchObject({ remoteNumber: '3001', line: 'main', direction: 'inbound' });
    recorders[0]?.segment({
      recordingId: rec!.id,
      seq: 0,
      bytes: new Uint8Array([1]),
      sha256: 'h',
      startMs: 0,
      durationMs: 10_000
    });
    phone.emit({ type: 'hold', legId: 'L1' });
    expect(log).toContain('pause hold');
    phone.emit({ type: 'unhold', legId: 'L1' });
    expect(log.at(-1) === 'resume' || log.includes('resume')).toBe(true);
    phone.emit({ type: 'ended', legId: 'L1', reason: 'remote-hangup' });
    await flush();
    await flush();
    const stored = store.recordings.get(rec!.id);
    expect(stored?.finished).toEqual({ segmentCount: 1, durationMs: 10_000 });
    expect(store.segments.size).toBe(1);
    const kinds = [...store.events.values()].map((e) => e.type);
    expect(kinds).toEqual(
      expect.arrayContaining(['started', 'hold', 'paused', 'unhold', 'resumed', 'ended'])
    );
  });

  it('keeps nothing of a recordable call that rang but never connected', async () => {
    phone.emit({ type: 'incoming', legId: 'L1', recordedLine: true, remoteNumber: '3001' });
    await flush();
    expect(store.recordings.size).toBe(1);
    phone.emit({ type: 'ended', legId: 'L1', reason: 'missed' });
    await flush();
    await flush();
    expect(store.recordings.size).toBe(0);
    expect(log).not.toContain('resume');
  });

  it('never records a call direct-dialled to the extension', async () => {
    phone.emit({ type: 'incoming', legId: 'L1', recordedLine: false, remoteNumber: '3001' });
    phone.emit({ type: 'connected', legId: 'L1', consultation: false });
    await flush();
    expect(recorders).toHaveLength(0);
    expect(store.recordings.size).toBe(0);
    expect(coordinator.status).toEqual({ state: 'not-recorded', reason: 'direct-dial' });
  });

  it('records a main-line call that follows a direct-dialled one, and one that follows an objection', () => {
    phone.emit({ type: 'incoming', legId: 'L1', recordedLine: false, remoteNumber: '3001' });
    phone.emit({ type: 'connected', legId: 'L1', consultation: false });
    phone.emit({ type: 'ended', legId: 'L1', reason: 'remote-hangup' });
    phone.emit({ type: 'incoming', legId: 'L2', recordedLine: true, remoteNumber: '3001' });
    phone.emit({ type: 'connected', legId: 'L2', consultation: false });
    expect(coordinator.status).toEqual({ state: 'recording' });
    expect(coordinator.callerObjected()).toBeNull();
    phone.emit({ type: 'ended', legId: 'L2', reason: 'remote-hangup' });
    expect(coordinator.status).toEqual({ state: 'not-recorded', reason: 'objection' });
    phone.emit({ type: 'incoming', legId: 'L3', recordedLine: true, remoteNumber: '3001' });
    phone.emit({ type: 'connected', legId: 'L3', consultation: false });
    expect(coordinator.status).toEqual({ state: 'recording' });
  });

  it('records outbound calls the advisor places', () => {
    phone.emit({ type: 'outgoing', legId: 'L1', remoteNumber: '3001' });
    phone.emit({ type: 'connected', legId: 'L1', consultation: false });
    expect(coordinator.status).toEqual({ state: 'recording' });
  });

  it('pauses synchronously when a payment transfer is requested, before anything else happens', () => {
    mainLineCall();
    phone.emit({ type: 'transfer-requested', legId: 'L1', target: '7000', kind: 'payment' });
    log.push('REFER leaves');
    expect(log.indexOf('pause payment')).toBeGreaterThan(-1);
    expect(log.indexOf('pause payment')).toBeLessThan(log.indexOf('REFER leaves'));
    phone.emit({ type: 'transfer-accepted', legId: 'L1', kind: 'payment' });
    expect(coordinator.status.state).toBe('ended');
  });

  it('deletes the call audio everywhere when the caller objects', async () => {
    mainLineCall();
    await flush();
    const [rec] = [...store.recordings.values()];
    recorders[0]?.segment({
      recordingId: rec!.id,
      seq: 0,
      bytes: new Uint8Array([1]),
      sha256: 'h',
      startMs: 0,
      durationMs: 10_000
    });
    await flush();
    expect(store.segments.size).toBe(1);
    expect(coordinator.callerObjected()).toBeNull();
    await flush();
    await flush();
    expect(store.segments.size).toBe(0);
    expect(store.recordings.get(rec!.id)?.objected).toBe(true);
    expect(log).toContain('stop');
    expect(coordinator.status).toEqual({ state: 'not-recorded', reason: 'objection' });
  });

  it('refuses a manual resume during a payment consultation', () => {
    mainLineCall();
    phone.emit({ type: 'consultation-started', legId: 'L1', target: '7000', kind: 'payment' });
    expect(coordinator.manualPause()).toBeNull();
    expect(coordinator.manualResume()?.code).toBe('payment-leg');
  });

  it('ends the recording with a gap when the page goes away', () => {
    mainLineCall();
    coordinator.pageHidden();
    expect(coordinator.status).toEqual({ state: 'ended', reason: 'uncertain' });
  });
});
