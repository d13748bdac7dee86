import { describe, expect, it } from 'vitest';
import { AudioBridge } from './audio-bridge';
import type { CallSession } from './call-session';

/** Fakes for the Web Audio graph: every node remembers what it was connected to. */
function fakeContext() {
  const wires: [string, string][] = [];
  let outputs = 0;
  let closed = false;
  const context = {
    resume: () => Promise.resolve(),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
    createMediaStreamSource: (stream: { name: string }) => ({
      connect: (to: { name: string }) => wires.push([stream.name, to.name])
    }),
    createMediaStreamDestination: () => {
      const name = `mix${++outputs}`;
      const track = { name, stopped: false, stop: () => (track.stopped = true) };
      return { name, stream: { getAudioTracks: () => [track] } };
    }
  };
  return { context: context as unknown as AudioContext, wires, isClosed: () => closed };
}

type Track = { name: string; stopped?: boolean };

function fakeLeg(id: string, log: string[]) {
  const leg = {
    id,
    state: 'connected',
    sending: `${id}-mic`,
    microphoneTrack: { name: `${id}-mic` },
    remoteStream: { name: `${id}-remote` },
    /** Resolves the pending sendMix (the browser's replaceTrack) when the test says so. */
    release: () => undefined as void,
    sendMix: (mix: Track | null) =>
      new Promise<void>((resolve) => {
        log.push(`${id} sends ${mix ? mix.name : 'microphone'}`);
        leg.release = () => {
          leg.sending = mix ? mix.name : `${id}-mic`;
          resolve();
        };
        // Like CallSession: a mix is put on at once; the microphone is awaited only when a mix was on.
        if (mix || leg.sending === `${id}-mic`) leg.release();
      })
  };
  return leg;
}

function setUp() {
  const log: string[] = [];
  const graph = fakeContext();
  const bridge = new AudioBridge(
    () => graph.context,
    () => log.push(`state ${bridge.state}`),
    (track) => track as unknown as MediaStream
  );
  const caller = fakeLeg('caller', log);
  const payment = fakeLeg('payment', log);
  const legs = [caller, payment] as unknown as CallSession[];
  return { log, graph, bridge, caller, payment, legs };
}

describe('AudioBridge', () => {
  it('sends each leg the advisor microphone and the other leg, never its own audio', async () => {
    const t = setUp();
    await t.bridge.connect(t.legs);
    expect(t.bridge.state).toBe('bridged');
    expect(t.graph.wires.sort()).toEqual(
      [
        ['caller-mic', 'mix1'],
        ['payment-remote', 'mix1'],
        ['caller-mic', 'mix2'],
        ['caller-remote', 'mix2']
      ].sort()
    );
    expect(t.caller.sending).toBe('mix1');
    expect(t.payment.sending).toBe('mix2');
  });

  it('reports the payment leg gone only once the caller sends the plain microphone again', async () => {
    const t = setUp();
    await t.bridge.connect(t.legs);
    t.payment.state = 'ended';
    const heard: string[] = [];
    t.bridge.afterLegEnded(t.payment as unknown as CallSession, {
      restored: (other) => heard.push(`restored ${other.id}`),
      gone: () => heard.push('gone')
    });
    await Promise.resolve();
    expect(heard).toEqual([]);
    expect(t.caller.sending).toBe('mix1');
    t.payment.release();
    t.caller.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(t.caller.sending).toBe('caller-mic');
    expect(heard).toEqual(['restored caller', 'gone']);
    expect(t.bridge.state).toBe('off');
    expect(t.graph.isClosed()).toBe(true);
  });

  it('a leg that was never bridged is reported gone at once', () => {
    const t = setUp();
    const heard: string[] = [];
    t.bridge.afterLegEnded(t.caller as unknown as CallSession, {
      restored: () => heard.push('restored'),
      gone: () => heard.push('gone')
    });
    expect(heard).toEqual(['gone']);
  });

  it('a leg without audio fails the connect and leaves nothing mixed', async () => {
    const t = setUp();
    (t.payment as { remoteStream: unknown }).remoteStream = undefined;
    const connecting = t.bridge.connect(t.legs);
    await expect(connecting).rejects.toThrow(/no audio/);
    expect(t.bridge.state).toBe('off');
    expect(t.caller.sending).toBe('caller-mic');
    expect(t.log.filter((l) => l.startsWith('state'))).toEqual([
      'state connecting',
      'state releasing',
      'state off'
    ]);
  });
});
