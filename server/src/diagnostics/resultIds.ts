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
  private readonly latest = new Map<string, { resultId: string; items: Diagnostic[] }>();

  report(uri: string, items: Diagnostic[], previousResultId: string | undefined): DocumentDiagnosticReport {
    let latest = this.latest.get(uri);
    if (!latest || !sameJson(latest.items, items)) {
      latest = { resultId: `${this.instance}:${++this.count}`, items };
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

/** Whether two JSON values (what a report is made of) read the same; cheaper than serialising both. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysOfA = Object.keys(a);
  if (keysOfA.length !== Object.keys(b).length) return false;
  for (const key of keysOfA) {
    if (!Object.prototype.hasOwnProperty.call(b, key) || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
