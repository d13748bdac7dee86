import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor } from './shortcuts';

const key = (code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({
  altKey: true,
  ctrlKey: false,
  metaKey: false,
  code,
  ...mods
});

describe('shortcutFor', () => {
  it('maps every documented shortcut to its action', () => {
    for (const s of SHORTCUTS) {
      const letter = s.keys.replace('Alt+', '');
      expect(shortcutFor(key(`Key${letter}`))).toBe(s.action);
    }
  });
  it('ignores keys without Alt, with Ctrl or Meta, and other letters', () => {
    expect(shortcutFor(key('KeyA', { altKey: false }))).toBeNull();
    expect(shortcutFor(key('KeyA', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('KeyA', { metaKey: true }))).toBeNull();
    expect(shortcutFor(key('KeyZ'))).toBeNull();
  });
});
