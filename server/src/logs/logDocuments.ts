import { CodeLens, Diagnostic, DiagnosticSeverity, Hover, MarkupKind, Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as l10n from '@vscode/l10n';
import { AGENT_LOG_FOLDER, explainLogs, hasAgentFiles, misleadingNote, readLogSources, redactText, renderRuns, summarizeRun, WAAGENT_FOLDER } from '../engine/logs';
import type { ExplainResult, FindingSeverity } from '../engine/logs';
import { classifyLine } from '../engine/logs/lineFormats';
import { codeHref, DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';

/** The README section that explains every finding of the log reader. */
const EXPLAIN_SECTION = 'explaining-a-backup-from-the-agents-own-logs';

/** The agent's files the editor explains: by language id, or by name wherever they were copied. */
export function isLogDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'vmsnapshot-log' || /\/(?:extension|shell)\.log$/.test(document.uri);
}

const cache = new WeakMap<TextDocument, ExplainResult>();

/** One explanation per document version: lenses, diagnostics and hovers share it. */
function explain(document: TextDocument): ExplainResult {
  let result = cache.get(document);
  if (!result) {
    result = explainLogs([{ path: document.uri, text: document.getText() }]);
    cache.set(document, result);
  }
  return result;
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
      .map((finding) => ({ range: lineRange(document, finding.line), severity: SEVERITY[finding.severity], code: finding.code, codeDescription: { href: codeHref(EXPLAIN_SECTION) }, source: DIAGNOSTIC_SOURCE, message: finding.message })),
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
