import { pathToFileURL } from 'url';
import { DocumentLink, Location, Range } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import type { ScriptFileResult } from '../engine/checks/fileChecks';
import * as l10n from '@vscode/l10n';

/** The scripts that resolved to a regular file on this machine, with the range of their path inside the quotes. */
function resolvedScripts(analysis: AnalysisResult): Array<{ script: ScriptFileResult; range: Range; target: string }> {
  const { lines } = analysis.document;
  return analysis.scripts
    .filter((script) => script.localPath && script.info?.kind === 'file')
    .map((script) => {
      const node = script.location.node;
      return {
        script,
        range: Range.create(lines.positionAt(node.offset + 1), lines.positionAt(node.offset + node.length - 1)),
        target: pathToFileURL(script.localPath!).toString(),
      };
    });
}

export function scriptLinks(analysis: AnalysisResult): DocumentLink[] {
  return resolvedScripts(analysis).map(({ script, range, target }) => ({ range, target, tooltip: l10n.t('Open {0}', script.localPath!) }));
}

export function scriptDefinition(analysis: AnalysisResult, offset: number): Location | null {
  const hit = resolvedScripts(analysis).find(({ script }) => offset >= script.location.node.offset && offset <= script.location.node.offset + script.location.node.length);
  return hit ? Location.create(hit.target, Range.create(0, 0, 0, 0)) : null;
}
