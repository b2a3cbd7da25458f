/**
 * Writing and reading the files of an output directory without trusting what is already on disk
 * (docs/reliability.md):
 *
 * - every file is written to a fresh temporary file in the target folder (created with O_EXCL, so no link
 *   is followed) and renamed into place: atomic, and a symbolic link where a result file goes is refused;
 * - append and truncate open with O_NOFOLLOW (results.jsonl of a sweep);
 * - directories are created one level at a time (Node's recursive mkdir loops forever under `/proc`);
 * - a path read from a stored file (a shard's `"result": "runs/p0-r0.json"`) is resolved inside its
 *   directory, and refused when it leaves it, names a link, or is not a regular file;
 * - stored files are read with a size cap.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The largest stored file read back (result.json, results.jsonl, manifest.json, summary.json). */
export const MAX_STORED_FILE_BYTES = 256 * 1024 * 1024;

/**
 * A file or directory that cannot be used, because of what is on disk or in a stored file: bad input
 * (exit 2). The message is one line and starts with the path.
 */
export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return null;
    throw e;
  }
}

/**
 * `mkdir -p`, one level at a time, with a clear refusal: a part that is a file, a directory that cannot be
 * created (read-only, `/proc`, permission denied). Links to directories on the way are followed (the user's
 * own layout); the final directory may be a link to a directory too.
 */
export function ensureDir(dir: string): void {
  const abs = resolve(dir);
  const parts: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    parts.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of parts) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw new UnsafePathError(dir, `cannot use ${p} (${code(e) ?? String(e)})`);
      st = null;
    }
    if (st) {
      if (!st.isDirectory()) throw new UnsafePathError(dir, `${p} exists and is not a directory`);
      continue;
    }
    try {
      mkdirSync(p);
    } catch (e) {
      if (code(e) === 'EEXIST' && statSync(p).isDirectory()) continue;
      throw new UnsafePathError(dir, `cannot create the directory ${p} (${code(e) ?? String(e)}): choose another output directory`);
    }
  }
}

/** Refuses a symbolic link (or anything but a regular file) where a file is about to be written. */
export function refuseLink(path: string): void {
  const st = lstatOrNull(path);
  if (!st) return;
  if (st.isSymbolicLink()) throw new UnsafePathError(path, 'is a symbolic link: refusing to write through it (remove it, or choose another output directory)');
  if (!st.isFile()) throw new UnsafePathError(path, 'exists and is not a regular file: refusing to replace it');
}

/**
 * Writes `data` to `path` atomically: a temporary file in the same folder (O_CREAT|O_EXCL: never follows a
 * link), then rename. A link already at `path` is refused. The folder is created when missing.
 */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  ensureDir(dir);
  refuseLink(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}

/** Opens a file without following a link at its last component (`flags`: e.g. O_WRONLY|O_APPEND|O_CREAT). */
export function openNoFollow(path: string, flags: number, mode = 0o644): number {
  let fd: number;
  try {
    fd = openSync(path, flags | (constants.O_NOFOLLOW ?? 0), mode);
  } catch (e) {
    if (code(e) === 'ELOOP' || code(e) === 'EMLINK') throw new UnsafePathError(path, 'is a symbolic link: refusing to write through it (remove it, or choose another output directory)');
    throw e;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new UnsafePathError(path, 'is not a regular file');
  }
  return fd;
}

/** Opens for appending (created when missing), refusing a link. */
export function openAppend(path: string): number {
  refuseLink(path);
  return openNoFollow(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
}

/**
 * Resolves `rel`, a path read from a stored file, inside `base`: refused when it is not a string, is
 * absolute, leaves `base` (`..`), holds a NUL, or passes through or names a symbolic link. Returns the
 * normalized relative path (with `/`).
 */
export function resolveInside(base: string, rel: unknown, what = 'path'): string {
  if (typeof rel !== 'string' || rel === '') throw new UnsafePathError(base, `${what} ${JSON.stringify(rel)} is not a relative path`);
  if (rel.includes('\0') || isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.includes('\\')) {
    throw new UnsafePathError(base, `${what} ${JSON.stringify(rel)} is not a relative path inside the directory: refused`);
  }
  const absBase = resolve(base);
  const target = resolve(absBase, rel);
  const r = relative(absBase, target);
  if (r === '' || r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r)) {
    throw new UnsafePathError(base, `${what} ${JSON.stringify(rel)} leaves the directory: refused`);
  }
  let p = absBase;
  for (const part of r.split(sep)) {
    p = join(p, part);
    const st = lstatOrNull(p);
    if (st?.isSymbolicLink()) throw new UnsafePathError(base, `${what} ${JSON.stringify(rel)} goes through a symbolic link (${p}): refused`);
  }
  return r.split(sep).join('/');
}

/**
 * Reads a stored file as UTF-8, at most `max` bytes (a larger file is refused); with `noLinks`, a symbolic
 * link is refused (files of an untrusted shard). Throws UnsafePathError; ENOENT is passed through.
 */
export function readStoredFile(path: string, opts: { readonly max?: number; readonly noLinks?: boolean } = {}): Buffer {
  const max = opts.max ?? MAX_STORED_FILE_BYTES;
  const fd = opts.noLinks ? openNoFollow(path, constants.O_RDONLY) : openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafePathError(path, 'is not a regular file');
    if (st.size > max) throw new UnsafePathError(path, `is ${st.size} bytes, more than the ${max} bytes a stored file may have: refused`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the file at `path` (an output being replaced under `--force`): a regular file or a symbolic link
 * (the link itself, never its target); nothing when it is missing. Anything else (a directory, a device) is
 * refused.
 */
export function removeFile(path: string): void {
  const st = lstatOrNull(path);
  if (!st) return;
  if (!st.isFile() && !st.isSymbolicLink()) throw new UnsafePathError(path, 'exists and is not a regular file: refusing to remove it');
  unlinkSync(path);
}

/** The names in `dir` (none when it does not exist or is not a directory; a link to a directory is read). */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return [];
    throw e;
  }
}

/** Removes `dir` when it is an empty directory (not a link); leaves it otherwise. */
export function removeEmptyDir(dir: string): void {
  const st = lstatOrNull(dir);
  if (!st || !st.isDirectory() || listDir(dir).length > 0) return;
  rmdirSync(dir);
}
