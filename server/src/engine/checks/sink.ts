import type { JsonNode } from '../parse/configDocument';
import type { LineIndex } from '../text/lineIndex';
import type { DiagnosticData, EngineDiagnostic, Range, Severity } from '../types';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  agentCode?: number;
  data?: DiagnosticData;
}

/**
 * A config with tens of thousands of mistakes is not a config any more: past this many findings
 * the rest are dropped, so that converting and sending them cannot freeze the editor.
 */
export const MAX_DIAGNOSTICS = 1000;

/** Collects findings for one text and turns offsets into ranges once, in one place. */
export class DiagnosticSink {
  readonly diagnostics: EngineDiagnostic[] = [];

  constructor(private readonly lines: LineIndex) {}

  atOffset(offset: number, length: number, finding: Finding): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) return;
    this.add(this.lines.rangeOf(offset, length), finding);
  }

  atNode(node: JsonNode, finding: Finding): void {
    this.atOffset(node.offset, node.length, finding);
  }

  add(range: Range, finding: Finding): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) return;
    const diagnostic: EngineDiagnostic = { code: finding.code, severity: finding.severity, message: finding.message, range };
    if (finding.agentCode !== undefined) diagnostic.agentCode = finding.agentCode;
    if (finding.data) diagnostic.data = finding.data;
    this.diagnostics.push(diagnostic);
  }
}
