/**
 * Cursor markers for in-process feature tests: `{ "a": |}` is the text `{ "a": }` with the
 * cursor after the colon and its space.
 */
export function withCaret(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error(`exactly one | marks the cursor: ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
