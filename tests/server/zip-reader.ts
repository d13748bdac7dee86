import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';

/** One file read back from a ZIP archive. */
export interface ZipFile {
  name: string;
  data: Buffer;
  method: number;
  mode: number;
}

/**
 * Independent reader for tests: walks the central directory from the end record, reads each local header,
 * inflates or copies the data and checks its CRC-32 and size. Throws on anything inconsistent.
 */
export function readZip(zip: Buffer): ZipFile[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end !== zip.length - 22) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  const centralSize = zip.readUInt32LE(end + 12);
  let p = zip.readUInt32LE(end + 16);
  if (p + centralSize !== end) throw new Error('central directory does not end at the end record');
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    const offset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extra + comment;
    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const localName = zip.toString('utf8', offset + 30, offset + 30 + zip.readUInt16LE(offset + 26));
    if (localName !== name) throw new Error(`local name ${localName} != ${name}`);
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const raw = zip.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`size or CRC mismatch for ${name}`);
    files.push({ name, data, method, mode });
  }
  return files;
}

/** Runs Debian's `unzip -t` on the archive when unzip is installed; null when it is not. */
export function unzipTest(zip: Buffer, dir: string): { status: number; output: string } | null {
  const file = join(dir, 'bundle-under-test.zip');
  writeFileSync(file, zip);
  const r = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
