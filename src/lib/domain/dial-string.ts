/** Result of {@link parseDialString}. */
export type DialParse = { ok: true; number: string } | { ok: false; error: string };

const ALLOWED = /^\+?[0-9*#]{1,32}$/;

/**
 * Normalises what an advisor typed or pressed into a number the PBX can route:
 * spaces, dashes, dots and brackets are dropped; a leading + is kept; anything
 * else (letters, SIP URIs, other symbols) is refused with a reason.
 */
export function parseDialString(input: string): DialParse {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'Enter a number to call' };
  const compact = trimmed.replace(/[\s\-.()]/g, '');
  if (!ALLOWED.test(compact)) {
    return { ok: false, error: 'A number may contain only digits, *, # and a leading +' };
  }
  return { ok: true, number: compact };
}

/** The keys of the keypad, in display order. */
export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

/** True for a single valid keypad tone. */
export function isKeypadKey(value: string): value is KeypadKey {
  return (KEYPAD_KEYS as readonly string[]).includes(value);
}
