import { randomUUID } from 'crypto';
import { Diagnostic, DocumentDiagnosticReport, DocumentDiagnosticReportKind } from 'vscode-languageserver';

/**
 * Result ids of pulled diagnostics. Most keystrokes leave a document's diagnostics as they were;
 * the editor sends the id of the report it holds, and "unchanged" spares it reading, comparing
 * and redrawing them all again. One id per content, never reused: a restarted server (or a reused
 * counter) must not tell an editor that stale diagnostics are current.
 */
export class DiagnosticResultIds {
  private readonly instance = randomUUID();
  private count = 0;
  private readonly latest = new Map<string, { resultId: string; serialized: string }>();

  report(uri: string, items: Diagnostic[], previousResultId: string | undefined): DocumentDiagnosticReport {
    const serialized = JSON.stringify(items);
    let latest = this.latest.get(uri);
    if (latest?.serialized !== serialized) {
      latest = { resultId: `${this.instance}:${++this.count}`, serialized };
      this.latest.set(uri, latest);
    }
    return previousResultId === latest.resultId
      ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId: latest.resultId }
      : { kind: DocumentDiagnosticReportKind.Full, resultId: latest.resultId, items };
  }

  /** A closed document's next report is a full one. */
  forget(uri: string): void {
    this.latest.delete(uri);
  }
}
