import { inflateRawSync } from "node:zlib";

/** One file read out of a zip archive. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * Reads the named files from a zip archive held in memory. Only "stored" and
 * "deflate" entries are supported: that is all the Helm layer archives use, and
 * it keeps the installer free of a zip dependency.
 */
export function readZipEntries(archive: Buffer, wanted: readonly string[]): ZipEntry[] {
  const eocd = archive.lastIndexOf(uint32(END_OF_CENTRAL_DIRECTORY));
  if (eocd < 0) throw new Error("not a zip archive: no end-of-central-directory record");
  const entryCount = archive.readUInt16LE(eocd + 10);
  let offset = archive.readUInt32LE(eocd + 16);

  const found: ZipEntry[] = [];
  for (let i = 0; i < entryCount; i++) {
    if (archive.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`corrupt zip: bad central directory header at ${offset}`);
    }
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (!wanted.includes(name)) continue;

    if (archive.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) {
      throw new Error(`corrupt zip: bad local header for ${name}`);
    }
    const dataStart =
      localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
    const raw = archive.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) found.push({ name, data: Buffer.from(raw) });
    else if (method === 8) found.push({ name, data: inflateRawSync(raw) });
    else throw new Error(`unsupported zip compression method ${method} for ${name}`);
  }
  return found;
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}
