/**
 * Links the log's findings to the line responsible: in the pre- or post-script when the config and
 * its scripts are readable (the `exit N` that gave the code the agent saw, the wait that outlasted
 * its limit), else in the script config (the key whose value or default applies).
 */
import { AGENT_DEFAULT_TIMEOUT_SECONDS } from '../codes';
import { FileSystem, isDenied } from '../fs/fileSystem';
import { parseConfigDocument, type ConfigDocument } from '../parse/configDocument';
import { inferPathContext, resolveVmPath } from '../paths/pathResolution';
import { scriptFacts } from '../scripts/behaviour';
import { commandsWithin, exitStatusOf, type CommandFact, type ScriptFacts } from '../scripts/behaviour/facts';
import { durationSeconds } from '../scripts/behaviour/timing';
import { LineIndex } from '../text/lineIndex';
import type { Finding, LogSource, RelatedLine, RunReport, SourceLine } from './model';
import { searchableName } from './statusCodes';

type Side = 'pre' | 'post';

interface ScriptSource {
  path: string;
  facts: ScriptFacts;
  lines: LineIndex;
}

/** The script config given with the logs, and the scripts it names where they could be read. */
export interface LinkSources {
  config: LogSource;
  document: ConfigDocument;
  pre?: ScriptSource;
  post?: ScriptSource;
}

/** Scripts are read whole up to this size; a larger file is no script the agent's users write. */
const MAX_SCRIPT_BYTES = 1024 * 1024;

const LOCATION_KEY: Record<Side, string> = { pre: 'preScriptLocation', post: 'postScriptLocation' };

function readScript(fileSystem: FileSystem, localPath: string): ScriptSource | undefined {
  const bytes = fileSystem.readFile(localPath, MAX_SCRIPT_BYTES);
  if (!bytes || isDenied(bytes)) return undefined;
  const text = new TextDecoder('utf-8').decode(bytes);
  const facts = scriptFacts(text);
  return facts && { path: localPath, facts, lines: new LineIndex(text) };
}

/**
 * Reads the scripts the config names, where its path says the VM's files are: on the VM, under
 * `root` (a folder standing for the VM's /), in a `<X>/etc/azure/` copy, or next to the config.
 */
export function readLinkSources(config: LogSource, fileSystem: FileSystem | undefined, root?: string): LinkSources {
  const document = parseConfigDocument(config.text);
  const sources: LinkSources = { config, document };
  if (!fileSystem) return sources;
  const context = inferPathContext(config.path, root);
  for (const side of ['pre', 'post'] as const) {
    const value = document.effective.get(LOCATION_KEY[side])?.valueNode?.value;
    const local = typeof value === 'string' ? resolveVmPath(value, context) : undefined;
    const script = local === undefined ? undefined : readScript(fileSystem, local);
    if (script) sources[side] = script;
  }
  return sources;
}

function lineOf(script: ScriptSource, offset: number): number {
  return script.lines.positionAt(offset).line + 1;
}

/** The key's line, or the config's first line when the key is absent (its default applies). */
function configLine(sources: LinkSources, key: string): RelatedLine {
  const property = sources.document.effective.get(key);
  const line = property ? sources.document.lines.positionAt(property.keyNode.offset).line + 1 : 1;
  return { file: sources.config.path, line, key, reason: 'configKey' };
}

/** Every `exit N` whose status is the code the agent saw (`exit 258` is 2, as the shell truncates it). */
function exitLines(script: ScriptSource, exitCode: number): number[] {
  const lines = script.facts.commands.filter((fact) => fact.name === 'exit' && exitStatusOf(fact) === exitCode).map((fact) => lineOf(script, fact.command.start));
  return [...new Set(lines)];
}

interface Wait {
  offset: number;
  /** Known from the text (`sleep 30`, `timeout 60 …`); undefined for a loop or a variable. */
  seconds?: number;
  loop: boolean;
}

function waitOf(fact: CommandFact): Wait | undefined {
  if (fact.background) return undefined;
  if (fact.wrapper === 'timeout') {
    const duration = fact.command.words.slice(1).find((word) => !(word.value ?? '-').startsWith('-'));
    return { offset: fact.command.start, seconds: durationSeconds(duration?.value), loop: false };
  }
  if (fact.name === 'sleep') {
    const seconds = fact.args.reduce<number | undefined>((sum, word) => {
      const each = durationSeconds(word.value);
      return sum === undefined || each === undefined ? undefined : sum + each;
    }, 0);
    return { offset: fact.command.start, seconds, loop: false };
  }
  if (fact.name === 'wait') return { offset: fact.command.start, loop: false };
  return undefined;
}

/**
 * The wait most likely to outlast the agent's limit: one written out that reaches the limit, else
 * a loop that waits (`until ready; do sleep 1; done`: how long is not in the text), else a wait of
 * unknown length, else the longest written out.
 */
function longestWait(script: ScriptSource, limitSeconds: number): Wait | undefined {
  const waits = script.facts.commands.map(waitOf).filter((wait): wait is Wait => wait !== undefined);
  const loops: Wait[] = script.facts.syntax.compounds
    .filter((compound) => compound.kind === 'loop' && compound.next !== '&' && commandsWithin(script.facts, compound.start, compound.end).some((fact) => waitOf(fact) !== undefined))
    .map((compound) => ({ offset: compound.start, loop: true }))
    .sort((a, b) => a.offset - b.offset);
  const known = waits.filter((wait) => wait.seconds !== undefined).sort((a, b) => b.seconds! - a.seconds! || a.offset - b.offset);
  if (known[0] && known[0].seconds! >= limitSeconds) return known[0];
  // The outermost loop: the first, since loops inside it start later.
  return loops[0] ?? waits.find((wait) => wait.seconds === undefined) ?? known[0];
}

function scriptLink(side: Side, script: ScriptSource, reason: RelatedLine['reason'], lines: number[]): RelatedLine {
  return { file: script.path, line: lines[0], script: side, reason, ...(lines.length > 1 ? { lines } : {}) };
}

function failedLink(sources: LinkSources, side: Side, exitCode: number | null): RelatedLine {
  const script = sources[side];
  if (!script) return configLine(sources, LOCATION_KEY[side]);
  const exits = exitCode === null ? [] : exitLines(script, exitCode);
  return exits.length > 0 ? scriptLink(side, script, 'exit', exits) : scriptLink(side, script, 'scriptStart', [1]);
}

function timedOutLink(sources: LinkSources, side: Side, limitSeconds: number): RelatedLine {
  const script = sources[side];
  const wait = script && longestWait(script, limitSeconds);
  return script && wait ? scriptLink(side, script, 'wait', [lineOf(script, wait.offset)]) : configLine(sources, 'timeoutInSeconds');
}

/** The other findings about the config: which key decides them. */
const CONFIG_KEY_OF: Record<string, string> = {
  [searchableName(302)]: 'preScriptLocation',
  [searchableName(303)]: 'postScriptLocation',
  [searchableName(306)]: 'preScriptLocation',
  [searchableName(307)]: 'postScriptLocation',
};

/** The limit the log gave (timeout:N), else the config's own timeoutInSeconds, else the agent's default. */
function configTimeout(sources: LinkSources): number {
  const value = sources.document.effective.get('timeoutInSeconds')?.valueNode?.value;
  return typeof value === 'number' && Number.isFinite(value) ? value : AGENT_DEFAULT_TIMEOUT_SECONDS;
}

/** What the log itself says that a link needs. */
export interface RunLimits {
  /** The timeout the agent logged for the plugin (`timeout:N`). */
  limitSeconds?: number;
  /** The line saying the agent stopped before the snapshot because continueBackupOnFailure is false. */
  stoppedAt?: SourceLine;
}

/** Links a finding of a run to the config or script line responsible, where there is one. */
export function linkFinding(finding: Finding, run: Pick<RunReport, 'pre' | 'post'>, sources: LinkSources, limits: RunLimits): RelatedLine | undefined {
  const limit = limits.limitSeconds ?? configTimeout(sources);
  switch (finding.code) {
    case searchableName(300):
      return failedLink(sources, 'pre', run.pre.exitCode);
    case searchableName(301):
      return failedLink(sources, 'post', run.post.exitCode);
    case searchableName(308):
      return timedOutLink(sources, 'pre', limit);
    case searchableName(309):
      return timedOutLink(sources, 'post', limit);
  }
  const stopped = limits.stoppedAt !== undefined && limits.stoppedAt.file === finding.file && limits.stoppedAt.line === finding.line;
  const key = CONFIG_KEY_OF[finding.code] ?? (stopped ? 'continueBackupOnFailure' : undefined);
  return key === undefined ? undefined : configLine(sources, key);
}
