import { DiagnosticCode } from '../codes';
import * as l10n from '@vscode/l10n';
import { CONFIG_KEYS, findKeyInfo, isIgnoredByDesign, STALE_KEYS } from '../model/keys';
import type { ConfigDocument } from '../parse/configDocument';
import { editDistance } from '../text/editDistance';
import type { DiagnosticSink } from './sink';

/** Suggestions already worked out: the same unknown key is checked again on every keystroke. */
const suggestions = new Map<string, string | undefined>();
const MAX_REMEMBERED_SUGGESTIONS = 256;

/** The known key a typo most likely meant: same letters in another case, or a few edits away. */
export function suggestKey(unknown: string): string | undefined {
  if (suggestions.has(unknown)) return suggestions.get(unknown);
  if (suggestions.size >= MAX_REMEMBERED_SUGGESTIONS) suggestions.clear();
  const suggestion = closestKey(unknown);
  suggestions.set(unknown, suggestion);
  return suggestion;
}

function closestKey(unknown: string): string | undefined {
  const lower = unknown.toLowerCase();
  const sameCase = CONFIG_KEYS.find((info) => info.key.toLowerCase() === lower);
  if (sameCase) return sameCase.key;
  let best: { key: string; distance: number } | undefined;
  for (const info of CONFIG_KEYS) {
    const allowed = Math.max(2, Math.floor(info.key.length / 5));
    // The distance is at least the difference in length: skip the quadratic work for keys that cannot match.
    if (Math.abs(lower.length - info.key.length) > allowed) continue;
    const distance = editDistance(lower, info.key.toLowerCase());
    if (distance <= allowed && (!best || distance < best.distance)) best = { key: info.key, distance };
  }
  return best?.key;
}

export function checkKeys(document: ConfigDocument, sink: DiagnosticSink): void {
  for (const property of document.properties) {
    const kept = document.effective.get(property.key);
    if (kept && kept !== property) {
      const keptLine = document.lines.positionAt(kept.keyNode.offset).line + 1;
      sink.atNode(property.keyNode, {
        code: DiagnosticCode.duplicateKey,
        severity: 'warning',
        message: l10n.t('Duplicate key "{0}": the agent silently ignores this one and keeps the last, on line {1}.', property.key, keptLine),
        data: { rule: 'duplicateKey', key: property.key },
      });
    }
    if (findKeyInfo(property.key) || isIgnoredByDesign(property.key)) continue;
    const stale = STALE_KEYS.get(property.key);
    if (stale) {
      sink.atNode(property.keyNode, {
        code: DiagnosticCode.staleKey,
        severity: 'warning',
        message: stale(),
        data: { rule: 'staleKey', key: property.key },
      });
      continue;
    }
    const suggestion = suggestKey(property.key);
    sink.atNode(property.keyNode, {
      code: DiagnosticCode.unknownKey,
      severity: 'warning',
      message: suggestion
        ? l10n.t('Unknown key "{0}": the agent ignores it silently (keys are case-sensitive). Did you mean "{1}"?', property.key, suggestion)
        : l10n.t('Unknown key "{0}": the agent ignores it silently (keys are case-sensitive).', property.key),
      data: suggestion ? { rule: 'unknownKey', key: property.key, suggestion } : { rule: 'unknownKey', key: property.key },
    });
  }
}
