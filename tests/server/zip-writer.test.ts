import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dosDateTime, ZipWriter } from '../../src/lib/server/zip/zip-writer';
import { readZip, unzipTest } from './zip-reader';

describe('ZipWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ap-zip-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function build(entries: [string, Buffer, boolean][]): Buffer {
    const zip = new ZipWriter(new Date('2025-03-04T05:06:08Z'));
    const chunks = entries.flatMap(([name, data, deflate]) => zip.add(name, data, { deflate }));
    chunks.push(...zip.finish());
    const out = Buffer.concat(chunks);
    expect(out.length).toBe(zip.size);
    return out;
  }

  it('writes stored and deflated entries that read back byte for byte and pass unzip -t', () => {
    const audio = Buffer.alloc(50_000);
    for (let i = 0; i < audio.length; i++) audio[i] = (i * 7919) & 0xff;
    const text = Buffer.from('{"hello":"wörld"}\n'.repeat(200));
    const zip = build([
      ['audio/a.mp3', audio, false],
      ['manifest.json', text, true],
      ['empty.txt', Buffer.alloc(0), true],
      ['README.txt', Buffer.from('read me\n'), false]
    ]);
    const files = readZip(zip);
    expect(files.map((f) => [f.name, f.method, f.mode])).toEqual([
      ['audio/a.mp3', 0, 0o100644],
      ['manifest.json', 8, 0o100644],
      ['empty.txt', 8, 0o100644],
      ['README.txt', 0, 0o100644]
    ]);
    expect(files[0]?.data.equals(audio)).toBe(true);
    expect(files[1]?.data.equals(text)).toBe(true);
    expect(zip.length).toBeLessThan(audio.length + text.length);
    const tested = unzipTest(zip, dir);
    if (tested) expect(tested, tested.output).toMatchObject({ status: 0 });
  });

  it('writes a valid empty archive', () => {
    const zip = build([]);
    expect(zip.length).toBe(22);
    expect(readZip(zip)).toEqual([]);
  });

  it.each(['', '/abs', 'a/../b', './a', 'a//b', 'a\\b', '..', 'a/'])('refuses the name %j', (name) => {
    expect(() => new ZipWriter().add(name, Buffer.from('x'))).toThrow(RangeError);
  });

  it('refuses duplicates and use after finish', () => {
    const zip = new ZipWriter();
    zip.add('a', Buffer.from('1'));
    expect(() => zip.add('a', Buffer.from('2'))).toThrow('duplicate');
    zip.finish();
    expect(() => zip.add('b', Buffer.from('3'))).toThrow('finished');
    expect(() => zip.finish()).toThrow('finished');
  });

  it('encodes MS-DOS dates with 2-second resolution', () => {
    expect(dosDateTime(new Date('2025-03-04T05:06:09Z'))).toEqual({
      date: ((2025 - 1980) << 9) | (3 << 5) | 4,
      time: (5 << 11) | (6 << 5) | 4
    });
  });
});
