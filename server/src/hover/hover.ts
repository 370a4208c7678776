import { getLocation } from 'jsonc-parser';
import { Hover, MarkupKind, Range } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import * as l10n from '@vscode/l10n';
import type { EffectiveValues } from '../engine/model/effective';
import { findKeyInfo } from '../engine/model/keys';
import { describeResolution } from '../engine/paths/pathResolution';

function effectiveLine(key: string, effective: EffectiveValues | null): string | undefined {
  if (!effective) return l10n.t('The agent cannot load this config, so it uses none of its values.');
  const code = (value: unknown) => `\`${JSON.stringify(value)}\``;
  switch (key) {
    case 'timeoutInSeconds':
      return effective.timeoutInSeconds === null
        ? l10n.t('In this file: no usable time limit.')
        : l10n.t('In this file: {0} s after the cap of {1} s; checked every {2} s, so really {3} s.', effective.timeoutInSeconds, effective.hostCapSeconds, effective.pollSeconds, String(effective.timeoutLimitSeconds));
    case 'ScriptsExecutionPollTimeSeconds':
      return l10n.t('In this file: the agent polls every {0} s.', effective.pollSeconds);
    case 'preScriptNoOfRetries':
    case 'postScriptNoOfRetries':
      return l10n.t('In this file: {0} re-runs, whatever the value.', 0);
    case 'continueBackupOnFailure':
      return l10n.t('In this file: {0}.', code(effective.continueBackupOnFailure));
    case 'fsFreezeEnabled':
      return l10n.t('In this file: {0}.', code(effective.fsFreezeEnabled));
    case 'preScriptLocation':
    case 'preScriptParams':
      return effective.preScriptArgv ? l10n.t('The agent runs: {0}', code(effective.preScriptArgv)) : undefined;
    case 'postScriptLocation':
    case 'postScriptParams':
      return effective.postScriptArgv ? l10n.t('The agent runs: {0}', code(effective.postScriptArgv)) : undefined;
    default:
      return undefined;
  }
}

/** Markdown docs of the key under the cursor, its agent default, and what the agent uses here. */
export function hoverConfig(analysis: AnalysisResult, offset: number): Hover | null {
  const { document } = analysis;
  const property = document.properties.find((candidate) => {
    const start = candidate.keyNode.offset;
    const end = (candidate.valueNode ?? candidate.keyNode).offset + (candidate.valueNode ?? candidate.keyNode).length;
    return offset >= start && offset <= end;
  });
  const key = property?.key ?? String(getLocation(document.text, offset).path[0] ?? '');
  const info = findKeyInfo(key);
  if (!info || !property) return null;
  const parts = [`**${info.key}**`, info.describe()];
  if (info.agentDefault !== undefined) parts.push(l10n.t('Agent default: `{0}`', JSON.stringify(info.agentDefault)));
  const effective = effectiveLine(key, analysis.effective);
  if (effective) parts.push(effective);
  const script = analysis.scripts.find((candidate) => candidate.location.node === property.valueNode);
  if (script?.localPath) {
    parts.push(l10n.t('Resolved to `{0}` {1}.', script.localPath, describeResolution(analysis.pathContext)));
  }
  const node = property.valueNode && offset >= property.valueNode.offset ? property.valueNode : property.keyNode;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') },
    range: Range.create(document.lines.positionAt(node.offset), document.lines.positionAt(node.offset + node.length)),
  };
}
