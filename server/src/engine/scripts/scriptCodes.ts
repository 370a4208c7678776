/**
 * Diagnostic codes of the script checks, kept apart until they are merged into `codes.ts`.
 * ShellCheck's own findings keep ShellCheck's codes (`SC2086`), so they are not listed here.
 */
export const ScriptCode = {
  /** A construct that POSIX sh as Debian's dash runs it rejects or runs differently from bash. */
  notPosix: 'ScriptNotPosix',
  /** CRLF line endings: dash reads the `\r` as part of the last word of each line. */
  crlf: 'ScriptCrlf',
  /** A UTF-8 byte order mark: glued to the first word, so the first command is not found. */
  bom: 'ScriptBom',
  /** A shebang naming another interpreter: the agent runs `sh <script>`, which ignores it. */
  shebangIgnored: 'ShebangIgnored',
  /** Binary content (NUL bytes, an executable): `sh` cannot run it. */
  notText: 'ScriptNotText',
  /** Output left on the agent's pipes, which nobody reads: 64 KiB of it blocks the script. */
  outputNotRedirected: 'ScriptOutputNotRedirected',
  /** The script is larger than the checker reads; the rest was not checked. */
  truncated: 'ScriptTruncated',
  /** ShellCheck could not be run or its answer could not be read. */
  shellcheckFailed: 'ShellCheckFailed',
} as const;

export type ScriptCodeValue = (typeof ScriptCode)[keyof typeof ScriptCode];

/** ShellCheck's wiki page for one of its codes: where every ShellCheck finding links to. */
export function shellcheckWikiUrl(code: string): string {
  return `https://www.shellcheck.net/wiki/${code}`;
}
