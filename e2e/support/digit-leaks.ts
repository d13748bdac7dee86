import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { dataDir } from './data-dir';

/**
 * A pattern for keyed `digits` in order, also when written one at a time: up to 40 characters that are not
 * digits may stand between them (so "DTMF 4", "DTMF 9", ... on successive log lines still match).
 */
export function spreadDigits(digits: string): RegExp {
  const keys = digits.replace(/[^0-9]/g, '').split('');
  return new RegExp(keys.join('[^0-9]{0,40}'));
}

/** Asserts that no text in `places` (name -> text) holds any of `sequences`, whole or spread out. */
export function expectNoDigits(places: Record<string, string>, sequences: readonly string[]): void {
  for (const [name, text] of Object.entries(places)) {
    for (const digits of sequences) {
      // The message names the place, never the digits (the test's own output is a log too).
      expect(spreadDigits(digits).test(text), `keyed digits found in ${name}`).toBe(false);
    }
    expect(text, `DTMF signalling found in ${name}`).not.toMatch(/Signal=|insertDTMF|sent via RTP/);
  }
}

/**
 * Every file under the server's DATA_DIR (SQLite database and its journal, encrypted audio, key files, PBX
 * log), read as bytes and shown as Latin-1 and UTF-16LE text, so a digit stored in plain text in any form shows.
 */
export function storedFiles(dir = dataDir()): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (st?.isDirectory()) walk(path);
      else if (st?.isFile()) {
        const bytes = readFileSync(path);
        out[path] = `${bytes.toString('latin1')}\n${bytes.toString('utf16le')}`;
      }
    }
  };
  walk(dir);
  return out;
}
