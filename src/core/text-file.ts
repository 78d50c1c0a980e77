// Reading a text file the user gives us: one line naming the file when it cannot be read or is too large to be what
// it claims, and a leading byte-order mark (Windows editors and Excel write one) accepted and dropped.
import fs from 'node:fs';
import { InputError } from './errors.js';

/** Text files larger than this are refused before they are read (a hostile or mistaken file cannot take memory). */
export const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

/** The text without a leading U+FEFF byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function formatByteLimit(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Read `file` as UTF-8 without its byte-order mark. `what` names the kind of file in errors ("tree", "suite file");
 * files above `maxBytes` are refused from their size alone.
 */
export function readTextFile(file: string, what: string, maxBytes = MAX_TEXT_FILE_BYTES): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
    if (size <= maxBytes) return stripBom(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${what} ${file}: cannot read it (${code ?? String(err)}); check the path`);
  }
  throw new InputError(
    `${what} ${file}: ${size} bytes is above the ${formatByteLimit(maxBytes)} limit for a ${what}; ` +
      'is it the right file?',
  );
}
