/**
 * Keypad digits must never reach a log, the console or the screen. SIP.js logs the
 * tones it sends ("sendDtmf sent via RTP: 1234") and, at debug level, whole SIP
 * messages whose INFO bodies carry "Signal=5". Every SIP.js log line passes
 * through {@link redactSipLog} before it goes anywhere.
 */
const PATTERNS: [RegExp, string][] = [
  [/(Signal\s*=\s*)[^\r\n]*/gi, '$1[redacted]'],
  [/(dtmf[^:\r\n]*:\s*)[^\r\n]*/gi, '$1[redacted]'],
  [/(insertDTMF\s*\()[^)]*/gi, '$1[redacted]'],
  [/(tone[s]?\s*[:=]\s*)[^\r\n,]*/gi, '$1[redacted]']
];

/** Returns the log text with any keypad tone content replaced by "[redacted]". */
export function redactSipLog(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A SIP.js `logConnector` that redacts, then forwards warnings and errors to `sink`. */
export function makeLogConnector(sink: (level: 'warn' | 'error', text: string) => void) {
  return (level: string, category: string, _label: string | undefined, content: string): void => {
    if (level !== 'warn' && level !== 'error') return;
    sink(level, `[${category}] ${redactSipLog(content)}`);
  };
}
