/**
 * What the scripts do at backup time: a lock that is gone at once, a freeze nothing ends, a
 * failure that exits 0. Rules over the shell parser, for the scripts the agent runs and every
 * file they run or source; pure functions of (text, context) and, for following files, of a
 * FileSystem and a VM-path resolver. Nothing here runs a script.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { ScriptCode } from '../../codes';
import { getLocale } from '../../l10n';
import { FileSystem, isDenied } from '../../fs/fileSystem';
import { BehaviourCaches, BehaviourResult, UnitFile } from './caches';
import { LineIndex } from '../../text/lineIndex';
import type { EngineDiagnostic } from '../../types';
import { decodeScript, defaultMaxScriptBytes } from '../scriptText';
import { readShebang } from '../shebang';
import { checkExitStatus } from './exitStatus';
import { buildFacts, ScriptFacts } from './facts';
import { findHelpers, findSourced } from './helpers';
import { checkLocks } from './locks';
import { checkPairing, checkResumeState } from './pairing';
import { checkNothingQuiesced, checkQuiesce } from './quiesce';
import { checkRemovedApi } from './removedApi';
import { checkPlaceholders, checkSecrets } from './secrets';
import { checkStatusFlow } from './statusFlow';
import { checkSudo } from './sudo';
import { checkTiming } from './timing';
import type { BehaviourContext, BehaviourFinding, BehaviourRule, ScriptSide } from './types';

export type { BehaviourContext, BehaviourFinding, ScriptSide } from './types';
export { BehaviourCaches } from './caches';
export type { BehaviourResult } from './caches';

/** The codes of this module, for front ends that treat them apart (the predicted outcome). */
export const BEHAVIOUR_CODES: ReadonlySet<string> = new Set([
  ScriptCode.lockReleasedAtOnce,
  ScriptCode.quiesceUnbounded,
  ScriptCode.removedApi,
  ScriptCode.exitStatusLost,
  ScriptCode.failureExitsZero,
  ScriptCode.nonZeroExitIsFailure,
  ScriptCode.placeholderLeft,
  ScriptCode.secretOnCommandLine,
  ScriptCode.selfFreeze,
  ScriptCode.helperNotFound,
  ScriptCode.waitExceedsTimeout,
  ScriptCode.nothingQuiesced,
  ScriptCode.resumeWithoutState,
  ScriptCode.sudoInRootScript,
  ScriptCode.undoMissing,
]);

const FILE_RULES: BehaviourRule[] = [
  (facts) => checkLocks(facts),
  checkQuiesce,
  (facts) => checkRemovedApi(facts),
  checkExitStatus,
  checkStatusFlow,
  (facts) => checkPlaceholders(facts),
  (facts) => checkSecrets(facts),
  checkTiming,
  (facts) => checkSudo(facts),
];

/** Facts of a script text; never throws on any text (deep nesting gives no facts). */
export function scriptFacts(text: string): ScriptFacts | undefined {
  try {
    return buildFacts(text);
  } catch (error) {
    if (error instanceof RangeError) return undefined; // nested too deeply: checkScript says so
    throw error;
  }
}

/** The rules of one file. With `side: 'pre'`, also whether it quiesces anything at all. */
export function checkBehaviourFacts(facts: ScriptFacts, context: BehaviourContext = {}): BehaviourFinding[] {
  const found = FILE_RULES.flatMap((rule) => rule(facts, context));
  if (context.side === 'pre' && (!context.unit || context.unit[0] === facts)) found.push(...checkNothingQuiesced(facts, context));
  if (context.side === 'post' && (!context.unit || context.unit[0] === facts)) found.push(...checkResumeState(facts, context.unit ?? [facts]));
  return found.sort((a, b) => a.start - b.start);
}

function toDiagnostic(finding: BehaviourFinding, lines: LineIndex, file: string | undefined): EngineDiagnostic {
  const { edits, ...rest } = finding.data as BehaviourFinding['data'] & { edits?: { start: number; end: number; text: string }[] };
  const data: EngineDiagnostic['data'] = { ...rest };
  if (edits) data.fix = edits.map((edit) => ({ range: { start: lines.positionAt(edit.start), end: lines.positionAt(edit.end) }, text: edit.text }));
  const diagnostic: EngineDiagnostic = {
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    range: { start: lines.positionAt(finding.start), end: lines.positionAt(finding.end) },
    data,
  };
  if (file !== undefined) diagnostic.file = file;
  return diagnostic;
}

/** The behaviour findings of one script text, as diagnostics (for an open script document). */
export function checkScriptBehaviour(text: string, context: BehaviourContext = {}, file?: string): EngineDiagnostic[] {
  if (readShebang(text)?.kind === 'other') return [];
  const facts = scriptFacts(text);
  if (!facts) return [];
  const lines = new LineIndex(text);
  return checkBehaviourFacts(facts, { ...context, unit: context.unit ?? [facts] }).map((finding) => toDiagnostic(finding, lines, file));
}

export interface BehaviourScript {
  side: ScriptSide;
  localPath: string;
  /** The path on the VM, whose folder is where its helpers usually are. */
  vmPath?: string;
}

export interface BehaviourOptions {
  fileSystem: FileSystem;
  /** VM path → local path, as the rest of the analysis resolves it; undefined when it cannot. */
  resolve: (vmPath: string) => string | undefined;
  fsFreezeEnabled?: boolean;
  timeoutSeconds?: number | null;
  /** Where to keep readings and findings; none for text that is not on disk (an edited document). */
  caches?: BehaviourCaches;
  /** What `resolve` maps by (the analysis's path context, serialised): with it, findings are kept per view of the disk. */
  resolvedBy?: string;
}


/** Deep enough for a script, its library and the library's helpers; a loop stops earlier. */
const MAX_DEPTH = 4;

function stampOf(localPath: string, fileSystem: FileSystem): string | undefined {
  const info = fileSystem.stat(localPath);
  return info && !isDenied(info) && info.kind === 'file' ? `${info.size}:${info.mtimeMs}:${info.ctimeMs}` : undefined;
}

function readFacts(localPath: string, fileSystem: FileSystem, caches: BehaviourCaches | undefined): UnitFile | undefined {
  const info = fileSystem.stat(localPath);
  if (!caches || !info || isDenied(info)) return readFactsNow(localPath, fileSystem);
  return caches.facts.get(localPath, info, () => readFactsNow(localPath, fileSystem));
}

function readFactsNow(localPath: string, fileSystem: FileSystem): UnitFile | undefined {
  const bytes = fileSystem.readFile(localPath, defaultMaxScriptBytes);
  // Unreadable to us says nothing about the agent, which runs as root: nothing to judge.
  if (!(bytes instanceof Uint8Array)) return undefined;
  const script = decodeScript(bytes);
  if (script.notText || readShebang(script.text)?.kind === 'other') return undefined;
  const facts = scriptFacts(script.text);
  return facts ? { localPath, text: script.text, facts } : undefined;
}

/**
 * Reads a script and every file it runs or sources (absolute literal paths), reporting the run
 * ones that are not there. `. f` is followed too; its absence is the sourced-file check's.
 */
function readUnit(script: BehaviourScript, options: BehaviourOptions, diagnostics: EngineDiagnostic[]): UnitFile[] {
  const main = readFacts(script.localPath, options.fileSystem, options.caches);
  if (!main) return [];
  const unit: UnitFile[] = [main];
  const visited = new Set([script.localPath]);
  const scriptDir = script.vmPath ? path.posix.dirname(script.vmPath) : undefined;
  const visit = (file: UnitFile, depth: number): void => {
    // Built only for a finding: the unit is read on every keystroke in the config, and most have none.
    let lines: LineIndex | undefined;
    const report = (reference: { start: number; end: number }, severity: 'error' | 'information', message: string, rule: string): void => {
      lines ??= new LineIndex(file.text);
      diagnostics.push(toDiagnostic({ code: ScriptCode.helperNotFound, severity, message, start: reference.start, end: reference.end, data: { rule } }, lines, file.localPath));
    };
    for (const reference of [...findSourced(file.facts), ...findHelpers(file.facts, scriptDir)]) {
      if (reference.path === undefined) {
        if (reference.how !== 'source') report(reference, 'information', l10n.t('{0} is named through a variable, so it cannot be checked: make sure it exists on the VM, or write its absolute path.', reference.raw), 'helperViaVariable');
        continue;
      }
      if (!reference.path.startsWith('/')) continue; // relative: the sourced-file check warns about `. f`; `sh f` resolves against the agent's folder
      const local = options.resolve(reference.path);
      if (!local) continue;
      const info = options.fileSystem.stat(local);
      if (isDenied(info)) continue; // we may not look; the agent, as root, may find it
      if (info?.kind !== 'file') {
        if (reference.how !== 'source') report(reference, 'error', l10n.t('{0} is not there ({1}): at backup time this command fails with "not found", and the script goes on without it or fails.', reference.path, local), 'helperMissing');
        continue;
      }
      if (visited.has(local) || depth >= MAX_DEPTH) continue;
      visited.add(local);
      const helper = readFacts(local, options.fileSystem, options.caches);
      if (!helper) continue;
      unit.push(helper);
      visit(helper, depth + 1);
    }
  };
  visit(main, 0);
  return unit;
}

/**
 * The behaviour findings of the agent's scripts and the files they run or source, each with its
 * `file`, plus the pairing of the pre- and post-script (on the post-script).
 */
export function checkScriptsBehaviour(scripts: readonly BehaviourScript[], options: BehaviourOptions): EngineDiagnostic[] {
  return runBehaviour(scripts, options).diagnostics;
}

/** The findings, and every file read to make them (front ends clear the files found fine). */
export function runBehaviour(scripts: readonly BehaviourScript[], options: BehaviourOptions): BehaviourResult {
  // Every keystroke in a config asks again; while the disk is seen as it was, the scripts are too.
  const { caches } = options;
  const generation = options.fileSystem.generation;
  if (!caches || !generation || options.resolvedBy === undefined) return judgeBehaviour(scripts, options);
  const request = JSON.stringify([getLocale(), options.resolvedBy, options.fsFreezeEnabled, options.timeoutSeconds, scripts.map((script) => [script.side, script.localPath, script.vmPath])]);
  return caches.resultIn(generation, request) ?? caches.rememberIn(generation, request, judgeBehaviour(scripts, options));
}

function judgeBehaviour(scripts: readonly BehaviourScript[], options: BehaviourOptions): BehaviourResult {
  const diagnostics: EngineDiagnostic[] = [];
  const units = new Map<ScriptSide, UnitFile[]>();
  const readUnits = scripts.map((script) => ({ script, unit: readUnit(script, options, diagnostics) }));
  // The same files, unchanged, with the same settings, in the same language: the same findings.
  const key = JSON.stringify([
    getLocale(),
    options.fsFreezeEnabled,
    options.timeoutSeconds,
    readUnits.map(({ script, unit }) => [script.side, script.vmPath, unit.map((file) => [file.localPath, stampOf(file.localPath, options.fileSystem)])]),
    diagnostics.map((diagnostic) => diagnostic.message),
  ]);
  const cached = options.caches?.result(key);
  if (cached) return cached;
  for (const { script, unit } of readUnits) {
    if (!unit.length) continue;
    units.set(script.side, unit);
    const context: BehaviourContext = { side: script.side, fsFreezeEnabled: options.fsFreezeEnabled, timeoutSeconds: options.timeoutSeconds, unit: unit.map((file) => file.facts) };
    for (const file of unit) {
      const lines = new LineIndex(file.text);
      for (const finding of checkBehaviourFacts(file.facts, context)) diagnostics.push(toDiagnostic(finding, lines, file.localPath));
    }
  }
  const pre = units.get('pre');
  const post = units.get('post');
  if (pre && post && pre[0].localPath !== post[0].localPath) {
    const lines = new LineIndex(post[0].text);
    for (const finding of checkPairing(pre.map((file) => file.facts), post.map((file) => file.facts))) diagnostics.push(toDiagnostic(finding, lines, post[0].localPath));
  }
  // A helper run by both scripts is reported once per finding.
  const seen = new Set<string>();
  const unique = diagnostics.filter((diagnostic) => {
    const identity = `${diagnostic.file}:${diagnostic.code}:${diagnostic.range.start.line}:${diagnostic.range.start.character}:${diagnostic.data?.rule}`;
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
  const files = [...new Set(readUnits.flatMap(({ unit }) => unit.map((file) => file.localPath)))];
  const result = { diagnostics: unique, files };
  return options.caches ? options.caches.remember(key, result) : result;
}

/** What an analysis knows of a script it judged; only these fields are read. */
export interface JudgedScript {
  side: ScriptSide;
  localPath?: string;
  info?: { kind: string };
  location: { vmPath: string };
}

/** The scripts of an analysis that are there to read, each once, in the agent's order. */
export function behaviourScriptsOf(scripts: readonly JudgedScript[]): BehaviourScript[] {
  const found: BehaviourScript[] = [];
  for (const script of scripts) {
    if (!script.localPath || script.info?.kind !== 'file' || found.some((other) => other.localPath === script.localPath)) continue;
    found.push({ side: script.side, localPath: script.localPath, vmPath: script.location.vmPath });
  }
  return found;
}

/** Everything the behaviour rules need from an analysis, kept so that a script's own document is judged alike. */
export interface BehaviourRun {
  scripts: BehaviourScript[];
  resolve: (vmPath: string) => string | undefined;
  fsFreezeEnabled?: boolean;
  timeoutSeconds?: number | null;
}

export function behaviourRunOf(scripts: readonly JudgedScript[], resolve: (vmPath: string) => string | undefined, effective: { fsFreezeEnabled: boolean; timeoutLimitSeconds: number | null } | null): BehaviourRun {
  return { scripts: behaviourScriptsOf(scripts), resolve, fsFreezeEnabled: effective?.fsFreezeEnabled, timeoutSeconds: effective?.timeoutLimitSeconds };
}

/**
 * The findings about one file as it is being edited: the run of its analysis, with this file's
 * bytes in place of the saved ones (the other script and the helpers are read from disk).
 */
export function checkEditedScriptBehaviour(run: BehaviourRun, localPath: string, bytes: Uint8Array, fileSystem: FileSystem): EngineDiagnostic[] {
  const edited: FileSystem = {
    stat: (file) => fileSystem.stat(file),
    lstat: (file) => fileSystem.lstat(file),
    readFile: (file, maxBytes) => (file === localPath ? bytes.subarray(0, maxBytes) : fileSystem.readFile(file, maxBytes)),
    readDirectory: (folder) => fileSystem.readDirectory(folder),
  };
  return checkScriptsBehaviour(run.scripts, { ...run, fileSystem: edited }).filter((diagnostic) => diagnostic.file === localPath);
}
