import * as path from 'path';
import { CodeLens, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Hover, MarkupKind, Position, Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as l10n from '@vscode/l10n';
import { AGENT_LOG_FOLDER, explainLogs, hasAgentFiles, misleadingNote, readLogSources, redactText, renderRuns, summarizeRun, WAAGENT_FOLDER } from '../engine/logs';
import type { ExplainResult, Finding, FindingSeverity, LogSource, RunReport } from '../engine/logs';
import { agentScriptConfig } from '../engine/agentFiles/configPath';
import { isDenied, nodeFileSystem } from '../engine/fs/fileSystem';
import { describeRelated } from '../engine/logs/render';
import { classifyLine } from '../engine/logs/lineFormats';
import { codeHref, DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';

/** The README section that explains every finding of the log reader. */
const EXPLAIN_SECTION = 'explaining-a-backup-from-the-agents-own-logs';

/** The agent's files the editor explains: by language id, or by name wherever they were copied. */
export function isLogDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'vmsnapshot-log' || /\/(?:extension|shell)\.log$/.test(document.uri);
}

const cache = new WeakMap<TextDocument, ExplainResult>();

const CONFIG_NAME = 'VMSnapshotScriptPluginConfig.json';
/** A config (and its scripts) is read whole; a larger file is no config. */
const MAX_CONFIG_BYTES = 1024 * 1024;

function readText(localPath: string): string | undefined {
  const bytes = nodeFileSystem.readFile(localPath, MAX_CONFIG_BYTES);
  return bytes && !isDenied(bytes) ? new TextDecoder('utf-8').decode(bytes) : undefined;
}

/**
 * The script config that goes with a log: a copy next to it (a folder of files from the VM), or,
 * for the VM's own log, the config the agent on this machine reads. Undefined when there is none
 * or it cannot be read (it is root's, mode 600: the server may not be root).
 */
export function configForLog(logUri: string): { source: LogSource; root?: string } | undefined {
  const uri = URI.parse(logUri);
  if (uri.scheme !== 'file') return undefined;
  const beside = path.join(path.dirname(uri.fsPath), CONFIG_NAME);
  const besideText = readText(beside);
  if (besideText !== undefined) return { source: { path: beside, text: besideText } };
  if (!uri.fsPath.startsWith(`${AGENT_LOG_FOLDER}/`)) return undefined;
  const agents = agentScriptConfig(nodeFileSystem).localPath;
  const text = readText(agents);
  return text === undefined ? undefined : { source: { path: agents, text, kind: 'scriptConfig' }, root: '/' };
}

/** One explanation per document version: lenses, diagnostics and hovers share it. */
function explain(document: TextDocument): ExplainResult {
  let result = cache.get(document);
  if (!result) {
    const config = configForLog(document.uri);
    const sources: LogSource[] = [{ path: document.uri, text: document.getText() }, ...(config ? [config.source] : [])];
    result = explainLogs(sources, { fileSystem: nodeFileSystem, root: config?.root });
    cache.set(document, result);
  }
  return result;
}

/** LSP's largest column: the editor clamps it to the line's end, and the server need not read the script again. */
const END_OF_LINE = 2 ** 31 - 1;

/** The config or script line responsible, shown under the diagnostic (and reachable with a click). */
function relatedInformation(finding: Finding, run: RunReport): DiagnosticRelatedInformation[] {
  const related = finding.related;
  if (!related) return [];
  const uri = related.file.includes('://') ? related.file : URI.file(related.file).toString();
  return (related.lines ?? [related.line]).map((line) => ({
    location: { uri, range: Range.create(line - 1, 0, line - 1, END_OF_LINE) },
    message: describeRelated(related, run),
  }));
}

const SEVERITY: Record<FindingSeverity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information };

function lineRange(document: TextDocument, line: number): Range {
  const zeroBased = Math.max(0, line - 1);
  const text = document.getText(Range.create(zeroBased, 0, zeroBased + 1, 0)).replace(/\r?\n$/, '');
  return Range.create(zeroBased, 0, zeroBased, text.length);
}

/** Errors and warnings on the lines that explain a failure; the misleading lines get hovers, not squiggles. */
export function logDiagnostics(document: TextDocument): Diagnostic[] {
  return explain(document).runs.flatMap((run) =>
    run.findings
      .filter((finding) => finding.file === document.uri && finding.severity !== 'information')
      .map((finding) => {
        const related = relatedInformation(finding, run);
        return { range: lineRange(document, finding.line), severity: SEVERITY[finding.severity], code: finding.code, codeDescription: { href: codeHref(EXPLAIN_SECTION) }, source: DIAGNOSTIC_SOURCE, message: finding.message, ...(related.length > 0 ? { relatedInformation: related } : {}) };
      }),
  );
}

/** A lens above each run's first line with its outcome. */
export function logLenses(document: TextDocument): CodeLens[] {
  return explain(document).runs.map((run) => {
    const first = run.evidence.start?.[0]?.line ?? run.timeline[0]?.line ?? 1;
    const range = Range.create(first - 1, 0, first - 1, 0);
    return { range, command: { title: summarizeRun(run), command: '' } };
  });
}

/** What a misleading line really means, and the findings about this line. */
export function logHover(document: TextDocument, position: Position): Hover | null {
  const line = document.getText(Range.create(position.line, 0, position.line + 1, 0)).replace(/\r?\n$/, '');
  const parts: string[] = [];
  const note = misleadingNote(classifyLine(line).message);
  if (note) parts.push(`**${note.code}** — ${note.note}`);
  for (const run of explain(document).runs) {
    for (const finding of run.findings) {
      if (finding.line === position.line + 1 && finding.code !== note?.code) parts.push(`**${finding.code}** — ${finding.message}`);
    }
  }
  return parts.length === 0 ? null : { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: lineRange(document, position.line + 1) };
}

/** The timeline of the VM's last backup, from the agent's own files. */
export function explainVm(): string {
  const { sources, unreadable } = readLogSources([]);
  const notes = unreadable.length > 0 ? [l10n.t('Not readable (the language server needs root on the VM): {0}', unreadable.join(', '))] : [];
  if (!hasAgentFiles(sources)) return [l10n.t('None of the backup agent\'s files is on this machine ({0}, {1}). On the VM, open an extension.log, or run vmsnapshot explain as root.', AGENT_LOG_FOLDER, `${WAAGENT_FOLDER}/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-*/status`), ...notes].join('\n');
  return [renderRuns(explainLogs(sources, { last: 1 }).runs), ...notes].join('\n');
}

export function redactDocument(text: string): string {
  return redactText(text).text;
}
