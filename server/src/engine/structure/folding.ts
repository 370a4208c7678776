import { createScanner, SyntaxKind } from 'jsonc-parser';

export interface FoldingSpan {
  /** Zero-based lines; the closing bracket's line stays visible, as in VS Code's JSON. */
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

const REGION = /^\/\/\s*#?(region\b|endregion\b)/;

interface Open {
  startLine: number;
  kind: 'object' | 'array' | 'region';
}

/**
 * Objects and arrays that span lines, multi-line block comments and `//#region` markers, read
 * with the scanner alone: it needs no tree, so it also folds texts too large or too broken to
 * analyse. Beyond `rangeLimit` ranges the innermost levels go first (the editor's own limit).
 */
export function foldingRanges(text: string, rangeLimit = Number.MAX_VALUE): FoldingSpan[] {
  const scanner = createScanner(text, false);
  const stack: Open[] = [];
  const found: Array<FoldingSpan & { level: number }> = [];
  // One range per start line: a line opening two brackets folds once, at the outer one.
  let previousStart = -1;
  const add = (range: FoldingSpan, level: number): void => {
    if (range.startLine === previousStart) return;
    found.push({ ...range, level });
    previousStart = range.startLine;
  };
  const close = (kind: Open['kind'], line: number, endLine: number, minimumLines: number): void => {
    const top = stack[stack.length - 1];
    if (top?.kind !== kind) return;
    stack.pop();
    if (line > top.startLine + minimumLines) add({ startLine: top.startLine, endLine, ...(kind === 'region' ? { kind } : {}) }, stack.length);
  };
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    const line = scanner.getTokenStartLine();
    switch (token) {
      case SyntaxKind.OpenBraceToken:
        stack.push({ startLine: line, kind: 'object' });
        break;
      case SyntaxKind.OpenBracketToken:
        stack.push({ startLine: line, kind: 'array' });
        break;
      case SyntaxKind.CloseBraceToken:
        close('object', line, line - 1, 1);
        break;
      case SyntaxKind.CloseBracketToken:
        close('array', line, line - 1, 1);
        break;
      case SyntaxKind.BlockCommentTrivia: {
        const value = scanner.getTokenValue();
        let endLine = line;
        for (let i = 0; i < value.length; i++) {
          const code = value.charCodeAt(i);
          if (code === 10 || (code === 13 && value.charCodeAt(i + 1) !== 10)) endLine++;
        }
        if (endLine > line) add({ startLine: line, endLine, kind: 'comment' }, stack.length);
        break;
      }
      case SyntaxKind.LineCommentTrivia: {
        const marker = REGION.exec(scanner.getTokenValue().trimStart());
        if (marker?.[1] === 'region') stack.push({ startLine: line, kind: 'region' });
        else if (marker) close('region', line, line, 0);
        break;
      }
    }
  }
  return limitRanges(found, rangeLimit);
}

/** Keeps whole nesting levels, outermost first, while they fit in the limit. */
function limitRanges(found: Array<FoldingSpan & { level: number }>, rangeLimit: number): FoldingSpan[] {
  let kept = found;
  if (found.length > rangeLimit) {
    const perLevel: number[] = [];
    for (const range of found) perLevel[range.level] = (perLevel[range.level] ?? 0) + 1;
    let total = 0;
    let levels = 0;
    while (levels < perLevel.length && total + (perLevel[levels] ?? 0) <= rangeLimit) total += perLevel[levels++] ?? 0;
    kept = found.filter((range) => range.level < levels);
  }
  return kept.map(({ startLine, endLine, kind }) => (kind ? { startLine, endLine, kind } : { startLine, endLine })).sort((a, b) => a.startLine - b.startLine);
}
