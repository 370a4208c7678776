import type { Diagnostic } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import type { EngineDiagnostic } from '../engine/types';
import { FileUris } from '../workspace/fileUris';
import { toLspDiagnostic } from './toLsp';

/** A file a config's analysis judged, as last published for that config. */
interface NotedFile {
  uri: string;
  ownedElsewhere: boolean;
  diagnostics: readonly EngineDiagnostic[];
}

/** The same files with the very same findings: the engine keeps what it judged while the disk stays as it was. */
function sameFindings(before: readonly NotedFile[] | undefined, now: readonly NotedFile[]): boolean {
  return (
    before !== undefined &&
    before.length === now.length &&
    before.every(
      (file, i) =>
        file.uri === now[i].uri &&
        file.ownedElsewhere === now[i].ownedElsewhere &&
        file.diagnostics.length === now[i].diagnostics.length &&
        file.diagnostics.every((diagnostic, j) => diagnostic === now[i].diagnostics[j]),
    )
  );
}

/**
 * Findings about files other than the analysed config (the host conf, workload.conf, scripts and
 * what they source, open or not) are pushed at those files. Each config owns what it published;
 * a file shows the union of its configs' findings and is cleared when none has any left.
 */
export class OtherFileDiagnostics {
  /** file URI → config URI → that config's findings about the file */
  private readonly byFile = new Map<string, Map<string, Diagnostic[]>>();
  /** What was last sent per file: a keystroke in the config re-sends only what changed. */
  private readonly sent = new Map<string, string>();
  /** What each config's last published analysis found, per file. */
  private readonly lastNoted = new Map<string, NotedFile[]>();
  private readonly uris = new FileUris();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /**
   * Records a config's analysis and publishes what changed. `ownedElsewhere` tells which files
   * get their diagnostics from their own analysis (an open agent script, checked from the
   * editor's text), which are not pushed here.
   */
  update(configUri: string, analysis: AnalysisResult, ownedElsewhere: (fileUri: string) => boolean): void {
    const configPath = analysis.files.find((file) => file.kind === 'config')?.path;
    const noted = analysis.files
      .filter((file) => file.path !== configPath)
      .map((file): NotedFile => {
        const uri = this.uris.of(file.path);
        return { uri, ownedElsewhere: ownedElsewhere(uri), diagnostics: file.diagnostics };
      });
    // Most keystrokes in a config change nothing about its scripts and the agent's other files.
    if (sameFindings(this.lastNoted.get(configUri), noted)) return;
    this.lastNoted.set(configUri, noted);
    const current = new Map<string, Diagnostic[]>();
    for (const file of noted) if (!file.ownedElsewhere) current.set(file.uri, file.diagnostics.map(toLspDiagnostic));
    const touched = new Set<string>(current.keys());
    for (const [uri, configs] of this.byFile) if (configs.has(configUri) && !current.has(uri)) touched.add(uri);
    for (const uri of touched) {
      const configs = this.byFile.get(uri) ?? new Map<string, Diagnostic[]>();
      const diagnostics = current.get(uri);
      if (diagnostics) configs.set(configUri, diagnostics);
      else configs.delete(configUri);
      if (configs.size === 0) this.byFile.delete(uri);
      else this.byFile.set(uri, configs);
      this.send(uri, [...configs.values()].flat());
    }
  }

  private send(uri: string, diagnostics: Diagnostic[]): void {
    const text = JSON.stringify(diagnostics);
    // Nothing sent and nothing to say: a clean file is not pushed an empty list.
    if (this.sent.get(uri) === text || (diagnostics.length === 0 && !this.sent.has(uri))) return;
    if (diagnostics.length === 0) this.sent.delete(uri);
    else this.sent.set(uri, text);
    this.publish(uri, diagnostics);
  }

  /**
   * A file opened in the editor is checked from its own text from now on: what the configs
   * pushed for it from the disk goes, or the editor would show both (and a fix made in the editor
   * would seem to change nothing until saved).
   */
  release(uri: string): void {
    this.lastNoted.clear();
    if (!this.byFile.delete(uri)) return;
    this.send(uri, []);
  }

  /** A closed config publishes nothing any more. */
  forget(configUri: string): void {
    this.lastNoted.delete(configUri);
    for (const [uri, configs] of this.byFile) {
      if (!configs.delete(configUri)) continue;
      if (configs.size === 0) this.byFile.delete(uri);
      this.send(uri, [...configs.values()].flat());
    }
  }
}
