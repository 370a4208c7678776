/**
 * Turns a script's bytes into the text the checks read, noting on the way what dash would
 * trip over before the first command: a byte order mark, CRLF line endings, binary content.
 */

/** Scripts are small; a bigger file is checked only up to this many bytes (and says so). */
// 256 KiB is a hundred times a long pre-script and keeps a check under a few hundred ms.
export const defaultMaxScriptBytes = 256 * 1024;

export type NotTextReason = 'nul' | 'elf' | 'utf16';

export interface ScriptText {
  /**
   * The decoded text without the byte order mark, because editors drop it too: positions in
   * this text are the positions an editor shows.
   */
  text: string;
  hasBom: boolean;
  /** Zero-based lines that end in `\r\n`. */
  crlfLines: number[];
  /** Set when the bytes are no shell script at all; the other fields are then not meaningful. */
  notText?: NotTextReason;
  /** True when only the first `checkedBytes` of `totalBytes` were read. */
  truncated: boolean;
  checkedBytes: number;
  totalBytes: number;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function detectNotText(bytes: Uint8Array): NotTextReason | undefined {
  // UTF-16 first: its byte order mark is followed by NUL bytes, but the fix differs.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return 'utf16';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  // dash drops NUL bytes silently, but a file holding them is binary (or UTF-16 without a mark).
  if (bytes.includes(0)) return 'nul';
  return undefined;
}

/**
 * Decodes a script. `totalBytes` is the size of the whole file when the caller read only part
 * of it (a FileSystem reads at most a cap), so that the answer can say the check was partial.
 */
export function decodeScript(bytes: Uint8Array, maxBytes = defaultMaxScriptBytes, totalBytes = bytes.length): ScriptText {
  let checked = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  const truncated = checked.length < Math.max(bytes.length, totalBytes);
  if (truncated) {
    // Cut at the last full line so that a half-read word is not reported as an error.
    const lastNewline = checked.lastIndexOf(10);
    if (lastNewline >= 0) checked = checked.subarray(0, lastNewline + 1);
  }
  const notText = detectNotText(checked);
  const hasBom = startsWith(checked, [0xef, 0xbb, 0xbf]);
  // Invalid UTF-8 is no problem for dash (it reads bytes), so decode leniently.
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(hasBom ? checked.subarray(3) : checked);
  const crlfLines: number[] = [];
  let line = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 10) continue;
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlfLines.push(line);
    line++;
  }
  return { text, hasBom, crlfLines, notText, truncated, checkedBytes: checked.length, totalBytes: Math.max(bytes.length, totalBytes) };
}
