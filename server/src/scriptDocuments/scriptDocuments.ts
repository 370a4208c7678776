import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { nodeFileSystem, startsWithUtf8Bom, UTF8_BOM } from '../engine/fs/fileSystem';
import { checkScript } from '../engine/scripts';
import { BehaviourRun, checkEditedScriptBehaviour } from '../engine/scripts/behaviour';
import type { Engine } from '../engine/service/engine';
import type { Cancellation } from '../engine/scripts/shellcheckScheduler';
import type { EngineDiagnostic } from '../engine/types';
import type { ServerSettings } from '../workspace/settings';
import { locateShellCheck } from '../engine/scripts/shellcheckLocator';

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
