import * as l10n from '@vscode/l10n';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ScriptCode } from '../engine/codes';
import { nodeFileSystem, startsWithUtf8Bom, UTF8_BOM } from '../engine/fs/fileSystem';
import { checkScript } from '../engine/scripts';
import { BehaviourRun, checkEditedScriptBehaviour } from '../engine/scripts/behaviour';
import type { Engine } from '../engine/service/engine';
import type { Cancellation } from '../engine/scripts/shellcheckScheduler';
import type { EngineDiagnostic } from '../engine/types';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';
import type { ServerSettings } from '../workspace/settings';
import { locateShellCheck } from './shellcheckLocator';

/**
 * The bytes the agent will read: the editor's text, with the BOM put back when the file on disk
 * has one (VS Code hides it from the text it sends).
 */
function bytesOf(document: TextDocument): Uint8Array {
  const text = Buffer.from(document.getText(), 'utf8');
  const uri = URI.parse(document.uri);
  if (uri.scheme !== 'file' || text.subarray(0, 3).equals(UTF8_BOM)) return text;
  return startsWithUtf8Bom(nodeFileSystem, uri.fsPath) ? Buffer.concat([UTF8_BOM, text]) : text;
}

export interface ScriptCheckContext {
  engine: Engine;
  settings: ServerSettings;
  /** Workspace trust: without it no executable named by a setting is run. */
  trusted: boolean;
  token?: Cancellation;
  /** How the config that names the script runs the behaviour rules; without it they do not run. */
  behaviour?: BehaviourRun;
}

/**
 * Built-in checks always; ShellCheck only when enabled, found and the workspace is trusted,
 * through the engine's scheduler (throttled per document, cached per content).
 */
export async function checkScriptDocument(document: TextDocument, context: ScriptCheckContext): Promise<EngineDiagnostic[]> {
  const bytes = bytesOf(document);
  const shellcheckPath = context.trusted && context.settings.shellcheck.enable ? locateShellCheck(context.settings.shellcheck.executablePath) : undefined;
  const uri = URI.parse(document.uri);
  // What the script does, judged with the other script and its helpers as they are on disk.
  const behaviour = context.behaviour && uri.scheme === 'file' ? checkEditedScriptBehaviour(context.behaviour, uri.fsPath, bytes, context.engine.fileSystem) : [];
  if (!shellcheckPath) return [...checkScript(bytes), ...behaviour];
  // Superseded by a newer edit or cancelled: the built-in findings still answer this request.
  const found = (await context.engine.shellcheck.check({ bytes, shellcheckPath, key: document.uri, token: context.token })) ?? checkScript(bytes);
  return [...found, ...behaviour];
}

interface ScriptDiagnosticData {
  rule?: string;
  insertLine?: number;
  fix?: Array<{ range: Range; text: string }>;
  /** The localized title of an engine-made fix (`fix`). */
  fixTitle?: string;
}

function logLine(document: TextDocument): string {
  const name = URI.parse(document.uri).path.split('/').pop()?.replace(/\.sh$/, '') || 'script';
  return `exec >>/var/log/azure-vmsnapshot-${name}.log 2>&1\n`;
}

/** Quick fixes for a script, matched on the diagnostic's code and data. */
export function scriptCodeActions(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const text = document.getText();
  const edit = (title: string, diagnostic: Diagnostic, edits: TextEdit[], preferred = true): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [document.uri]: edits } },
  });
  for (const diagnostic of diagnostics) {
    const data = (diagnostic.data ?? {}) as ScriptDiagnosticData;
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    if (diagnostic.code === ScriptCode.crlf || diagnostic.code === 'SC1017') {
      const whole = Range.create(document.positionAt(0), document.positionAt(text.length));
      actions.push(edit(l10n.t('Convert to LF line endings'), diagnostic, [TextEdit.replace(whole, text.replace(/\r\n/g, '\n'))]));
    } else if (diagnostic.code === ScriptCode.bom && text.charCodeAt(0) === 0xfeff) {
      actions.push(edit(l10n.t('Remove the byte order mark'), diagnostic, [TextEdit.del(Range.create(0, 0, 0, 1))]));
    } else if (diagnostic.code === ScriptCode.outputNotRedirected && data.insertLine !== undefined) {
      actions.push(edit(l10n.t('Send all output to a log file'), diagnostic, [TextEdit.insert({ line: data.insertLine, character: 0 }, logLine(document))]));
    } else if (typeof data.fixTitle === 'string' && data.fix?.length) {
      actions.push(edit(data.fixTitle, diagnostic, data.fix.map((replacement) => TextEdit.replace(replacement.range, replacement.text))));
    } else if (data.rule === 'shellcheck' && data.fix?.length) {
      actions.push(edit(l10n.t('Apply ShellCheck\'s fix'), diagnostic, data.fix.map((replacement) => TextEdit.replace(replacement.range, replacement.text)), false));
    }
  }
  return actions;
}
