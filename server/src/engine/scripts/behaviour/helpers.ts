/**
 * The files a script runs or sources: `. f`, `source f`, `sh f`, `bash f`, `/path/f`. Their
 * commands run at backup time too, so the behaviour rules follow them.
 */
import { basename, ScriptFacts } from './facts';

export interface HelperReference {
  /** The path as written (quotes removed); undefined when it comes from a variable. */
  path?: string;
  /** The text as written, for messages. */
  raw: string;
  how: 'source' | 'shell' | 'exec';
  start: number;
  end: number;
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'ksh']);
const SCRIPT_SUFFIX = /\.(sh|bash|ksh)$/;

/**
 * Direct execution of `/path/f` is followed when the file is the user's own: a script by its
 * suffix, or a file next to the agent's script or under /etc/azure. A program such as
 * `/usr/bin/mysql` belongs to the VM, and a workspace copy rightly lacks it.
 */
function isUsersFile(path: string, scriptDir: string | undefined): boolean {
  return SCRIPT_SUFFIX.test(path) || path.startsWith('/etc/azure/') || (scriptDir !== undefined && path.startsWith(`${scriptDir}/`));
}

export function findHelpers(facts: ScriptFacts, scriptDir: string | undefined): HelperReference[] {
  const found: HelperReference[] = [];
  for (const fact of facts.commands) {
    const first = fact.command.words[0];
    if (!first) continue;
    let target = undefined as typeof first | undefined;
    let how: HelperReference['how'] = 'exec';
    if (first.value === '.' || first.value === 'source') {
      // `. f` is already followed, and reported when missing, by the sourced-file check.
      continue;
    } else if (first.value !== undefined && SHELLS.has(basename(first.value))) {
      const script = fact.command.words.slice(1).find((word) => !(word.value ?? 'x').startsWith('-'));
      // `sh -c '…'` runs a string, not a file.
      if (fact.command.words.some((word) => word.value === '-c') || !script) continue;
      target = script;
      how = 'shell';
    } else if (first.value?.startsWith('/') && isUsersFile(first.value, scriptDir)) {
      target = first;
    } else if (first.value === undefined && /\.(sh|bash)["']?$/.test(first.raw)) {
      target = first;
    }
    if (!target) continue;
    found.push({ path: target.value, raw: target.raw, how, start: target.start, end: target.end });
  }
  return found;
}

/** The files a script reads with `. f`, which run in the same shell. */
export function findSourced(facts: ScriptFacts): HelperReference[] {
  return facts.commands
    .filter((fact) => (fact.command.words[0]?.value === '.' || fact.command.words[0]?.value === 'source') && fact.command.words[1])
    .map((fact) => {
      const target = fact.command.words[1];
      return { path: target.value, raw: target.raw, how: 'source' as const, start: target.start, end: target.end };
    });
}
