export { ScriptCode } from '../codes';
import type { ScriptCode } from '../codes';

export type ScriptCodeValue = (typeof ScriptCode)[keyof typeof ScriptCode];

/** ShellCheck's wiki page for one of its codes: where every ShellCheck finding links to. */
export function shellcheckWikiUrl(code: string): string {
  return `https://www.shellcheck.net/wiki/${code}`;
}
