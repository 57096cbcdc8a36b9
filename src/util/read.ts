import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { asFileError, FileError } from '../errors.js';

// The one way the CLI reads a file a user names or a repository holds: with a byte cap that does not trust stat
// (/dev/zero, a FIFO or a file growing while it is read all report a small size), and with file-system failures
// turned into the user's situation (path, problem, fix) instead of a stack trace.

const CHUNK = 64 * 1024;

export interface ReadLimit {
  /** Most bytes to accept; one more and the read stops with a FileError. */
  maxBytes: number;
  /** What the file is, for the message ("answers file", "catalog"). */
  what: string;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB` : `${bytes} bytes`;
}

export class TooLarge extends FileError {
  constructor(path: string, limit: ReadLimit) {
    super(
      path,
      `is larger than ${formatBytes(limit.maxBytes)}, more than any ${limit.what} can be`,
      `check that the right file is named (a ${limit.what} is at most ${formatBytes(limit.maxBytes)})`,
    );
    this.name = 'TooLarge';
  }
}

/** A non-blocking descriptor (a pipe on standard input) says EAGAIN until data comes: wait a little and try again. */
function readRetrying(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Reads at most `limit.maxBytes` bytes of a file as UTF-8; larger input, a folder or an unreadable path is a FileError. */
export function readBounded(path: string, limit: ReadLimit): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw asFileError(error, path);
  }
  try {
    if (fstatSync(fd).isDirectory())
      throw new FileError(path, 'is a folder, not a file', `name the ${limit.what} itself`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit.maxBytes + 1 - total));
      const n = readRetrying(fd, chunk);
      if (n === 0) break;
      total += n;
      if (total > limit.maxBytes) throw new TooLarge(path, limit);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (error) {
    throw asFileError(error, path);
  } finally {
    closeSync(fd);
  }
}
