import type { CodeLens, CompletionItem, Diagnostic, Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { AgentIniKind, agentIniKindOf } from '../engine/agentFiles/catalogue';
import { AgentIniAnalysis, analyzeAgentIniText } from '../engine/agentFiles/iniFileAnalysis';
import type { FileSystem } from '../engine/fs/fileSystem';
import { toLspDiagnostic } from '../diagnostics/toLsp';
import type { ServerSettings } from '../workspace/settings';
import { agentIniLenses, completeAgentIni, describeAgentPath, hoverAgentIni } from './iniFeatures';

const LANGUAGE_KINDS: Record<string, AgentIniKind> = {
  'vmsnapshot-workload': 'workload',
  'vmsnapshot-pluginhost': 'hostConf',
  'vmsnapshot-vmbackup': 'vmbackup',
};

function kindOf(document: Pick<TextDocument, 'uri' | 'languageId'>): AgentIniKind | undefined {
  return LANGUAGE_KINDS[document.languageId] ?? agentIniKindOf(URI.parse(document.uri).path);
}

export function isAgentIniDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return kindOf(document) !== undefined;
}

/**
 * The server's side of workload.conf, VMSnapshotPluginHost.conf and vmbackup.conf: one analysis
 * per document version and world generation, shared by diagnostics, completion, hover and lenses.
 */
export class AgentIniService {
  private readonly entries = new Map<string, { version: number; generation: number; settings: ServerSettings; analysis: AgentIniAnalysis | undefined }>();
  private generation = 0;

  constructor(private readonly fileSystem: FileSystem) {}

  /** Settings or watched files changed: the other files of /etc/azure may say something else now. */
  invalidateAll(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  analyze(document: TextDocument, settings: ServerSettings): AgentIniAnalysis | undefined {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === this.generation && cached.settings === settings) return cached.analysis;
    const uri = URI.parse(document.uri);
    const analysis = analyzeAgentIniText(document.getText(), {
      localPath: uri.scheme === 'file' ? uri.fsPath : undefined,
      kind: kindOf(document),
      root: settings.root || undefined,
      fileSystem: this.fileSystem,
      fileChecks: settings.fileChecks,
    });
    this.entries.set(document.uri, { version: document.version, generation: this.generation, settings, analysis });
    return analysis;
  }

  diagnostics(document: TextDocument, settings: ServerSettings): Diagnostic[] {
    return (this.analyze(document, settings)?.diagnostics ?? []).map(toLspDiagnostic);
  }

  completion(document: TextDocument, settings: ServerSettings, position: Position): CompletionItem[] {
    const analysis = this.analyze(document, settings);
    return analysis ? completeAgentIni(analysis, position) : [];
  }

  hover(document: TextDocument, settings: ServerSettings, position: Position): Hover | null {
    const analysis = this.analyze(document, settings);
    return analysis ? hoverAgentIni(analysis, position) : null;
  }

  /** The path the agent takes, for the status item; undefined where the file's place on a VM is unknown. */
  describePath(document: TextDocument, settings: ServerSettings): string | undefined {
    const view = this.analyze(document, settings)?.view;
    return view && describeAgentPath(view);
  }

  codeLenses(document: TextDocument, settings: ServerSettings): CodeLens[] {
    const analysis = this.analyze(document, settings);
    return analysis ? agentIniLenses(analysis) : [];
  }
}
