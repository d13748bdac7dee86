import { describe, expect, it } from 'vitest';
import { bridgeTable, conferenceMixes, nextBridgeState, type BridgeState } from './bridge';

describe('bridge machine', () => {
  it('connects, then releases back to off', () => {
    let s: BridgeState = 'off';
    for (const e of ['connect', 'connected', 'release', 'released'] as const) s = nextBridgeState(s, e);
    expect(s).toBe('off');
  });

  it('a failed or abandoned connect still releases what it set up', () => {
    expect(nextBridgeState('connecting', 'failed')).toBe('releasing');
    expect(nextBridgeState('connecting', 'release')).toBe('releasing');
  });

  it('refuses a second bridge and a release that is not under way', () => {
    expect(() => nextBridgeState('bridged', 'connect')).toThrow('expected state off, was bridged');
    expect(() => nextBridgeState('off', 'released')).toThrow('expected state releasing, was off');
  });

  it('every state gets back to off through release and released', () => {
    for (const state of Object.keys(bridgeTable) as BridgeState[]) {
      let s = state;
      for (let i = 0; i < 3 && s !== 'off'; i += 1) {
        const event = (['released', 'release'] as const).find((e) => bridgeTable[s][e] !== undefined);
        if (!event) break;
        s = nextBridgeState(s, event);
      }
      expect(s, `from ${state}`).toBe('off');
    }
  });
});

describe('conferenceMixes', () => {
  it('caller and payment line each hear the advisor and the other, never themselves', () => {
    expect(conferenceMixes(['caller', 'payment'])).toEqual([
      {
        legId: 'caller',
        sources: [{ kind: 'microphone' }, { kind: 'remote', legId: 'payment' }]
      },
      {
        legId: 'payment',
        sources: [{ kind: 'microphone' }, { kind: 'remote', legId: 'caller' }]
      }
    ]);
  });

  it('three legs: each hears the two others', () => {
    const plans = conferenceMixes(['a', 'b', 'c']);
    expect(plans.find((p) => p.legId === 'b')?.sources).toEqual([
      { kind: 'microphone' },
      { kind: 'remote', legId: 'a' },
      { kind: 'remote', legId: 'c' }
    ]);
  });

  it('needs two different legs', () => {
    expect(() => conferenceMixes(['a'])).toThrow(/two different legs/);
    expect(() => conferenceMixes(['a', 'a'])).toThrow(/two different legs/);
  });
});
