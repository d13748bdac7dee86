/** Keyboard shortcuts of the softphone; shown on screen from this same table. */
export const SHORTCUTS = [
  { keys: 'Alt+A', action: 'answer', label: 'Answer' },
  { keys: 'Alt+Q', action: 'hangup', label: 'Hang up' },
  { keys: 'Alt+M', action: 'mute', label: 'Mute or unmute' },
  { keys: 'Alt+O', action: 'hold', label: 'Hold or resume' }
] as const;

export type ShortcutAction = (typeof SHORTCUTS)[number]['action'];

/** The action for a key event, or null. Uses `code` so keyboard layouts and Alt-composed characters do not matter. */
export function shortcutFor(
  event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'code'>
): ShortcutAction | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  switch (event.code) {
    case 'KeyA':
      return 'answer';
    case 'KeyQ':
      return 'hangup';
    case 'KeyM':
      return 'mute';
    case 'KeyO':
      return 'hold';
    default:
      return null;
  }
}
