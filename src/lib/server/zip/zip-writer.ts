import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP (PKWARE APPNOTE 6.3) writer for export bundles: one entry at a time, no ZIP64, no encryption,
 * UTF-8 names. Each entry is either stored (audio is already compressed) or deflated (text), whichever the
 * caller asks for. Output is a sequence of Buffers, so a bundle can be streamed while it is being built; only
 * the central directory (about 50 bytes per entry) is kept in memory.
 *
 * ```
 * const zip = new ZipWriter();
 * chunks.push(...zip.add('a.txt', Buffer.from('hi'), { deflate: true }));
 * chunks.push(...zip.finish());
 * ```
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
/** 2.0: deflate, folders. */
const VERSION_NEEDED = 20;
/** Made by Unix (3), spec 2.0, so the external attributes carry a file mode. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
/** Bit 11: names are UTF-8. */
const FLAG_UTF8 = 0x0800;
const MAX_UINT32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

/** Options of one entry. */
export interface ZipEntryOptions {
  /** Deflate the data (text); default false = stored (already compressed data like MP3). */
  deflate?: boolean;
  /** Modification time; default the writer's `mtime`. */
  mtime?: Date;
}

interface CentralRecord {
  name: Buffer;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time (local fields, here taken in UTC; 2-second resolution; years 1980..2107). */
export function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2)
  };
}

/** Refuses names a careless unzip could write outside its target folder. */
function checkName(name: string): Buffer {
  const parts = name.split('/');
  if (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new RangeError(`bad zip entry name "${name}"`);
  }
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 0xffff) throw new RangeError('zip entry name too long');
  return bytes;
}

/** Builds a ZIP archive entry by entry. Not reusable after {@link ZipWriter.finish}. */
export class ZipWriter {
  private readonly central: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private offset = 0;
  private finished = false;

  /** @param mtime - default modification time of entries. */
  constructor(private readonly mtime: Date = new Date()) {}

  /** Bytes written so far. */
  get size(): number {
    return this.offset;
  }

  /**
   * Adds one file and returns the bytes to append to the archive (local header, then data).
   * @throws RangeError on a bad or duplicate name, or when the archive would need ZIP64.
   */
  add(name: string, data: Uint8Array, options: ZipEntryOptions = {}): Buffer[] {
    if (this.finished) throw new Error('zip already finished');
    const nameBytes = checkName(name);
    if (this.names.has(name)) throw new RangeError(`duplicate zip entry "${name}"`);
    if (this.central.length >= MAX_ENTRIES) throw new RangeError('too many zip entries (no ZIP64)');
    const body = options.deflate
      ? deflateRawSync(data)
      : Buffer.from(data.buffer, data.byteOffset, data.length);
    const method = options.deflate ? 8 : 0;
    if (data.length > MAX_UINT32 || this.offset + 30 + nameBytes.length + body.length > MAX_UINT32) {
      throw new RangeError('zip archive would exceed 4 GiB (no ZIP64)');
    }
    const { date, time } = dosDateTime(options.mtime ?? this.mtime);
    const record: CentralRecord = {
      name: nameBytes,
      method,
      time,
      date,
      crc: crc32(data),
      compressedSize: body.length,
      size: data.length,
      offset: this.offset
    };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(FLAG_UTF8, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    header.writeUInt32LE(record.crc, 14);
    header.writeUInt32LE(record.compressedSize, 18);
    header.writeUInt32LE(record.size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    this.central.push(record);
    this.names.add(name);
    this.offset += header.length + nameBytes.length + body.length;
    return [header, nameBytes, body];
  }

  /** Returns the central directory and end record; the archive is complete after these bytes. */
  finish(): Buffer[] {
    if (this.finished) throw new Error('zip already finished');
    this.finished = true;
    const out: Buffer[] = [];
    let centralSize = 0;
    for (const r of this.central) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL_HEADER, 0);
      h.writeUInt16LE(VERSION_MADE_BY, 4);
      h.writeUInt16LE(VERSION_NEEDED, 6);
      h.writeUInt16LE(FLAG_UTF8, 8);
      h.writeUInt16LE(r.method, 10);
      h.writeUInt16LE(r.time, 12);
      h.writeUInt16LE(r.date, 14);
      h.writeUInt32LE(r.crc, 16);
      h.writeUInt32LE(r.compressedSize, 20);
      h.writeUInt32LE(r.size, 24);
      h.writeUInt16LE(r.name.length, 28);
      // extra length, comment length, disk number start, internal attributes: 0
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      h.writeUInt32LE(r.offset, 42);
      out.push(h, r.name);
      centralSize += h.length + r.name.length;
    }
    if (this.offset + centralSize > MAX_UINT32) throw new RangeError('zip archive exceeds 4 GiB (no ZIP64)');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(this.offset, 16);
    out.push(end);
    this.offset += centralSize + end.length;
    return out;
  }
}
