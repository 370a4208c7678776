import * as l10n from '@vscode/l10n';
import { CodeLens, CompletionItem, CompletionItemKind, Hover, InsertTextFormat, MarkupKind, Position, Range } from 'vscode-languageserver';
import { AGENT_INI_SECTIONS, AGENT_INI_VM_PATHS, findKeySpec, findSectionSpec } from '../engine/agentFiles/catalogue';
import type { AgentFilesView } from '../engine/agentFiles/etcAzure';
import type { FrozenMounts } from '../engine/agentFiles/frozenMounts';
import type { AgentIniAnalysis } from '../engine/agentFiles/iniFileAnalysis';
import { describeWorkloadBehaviour } from '../engine/agentFiles/workloadBehaviour';
import { agentCodeInfo } from '../engine/agentFailures';
import { DEFAULT_SECTION, getValue, IniOption } from '../engine/ini/configParser';

/** The section a line belongs to: the last header above it. */
function sectionAt(analysis: AgentIniAnalysis, line: number): string | undefined {
  let section: string | undefined;
  for (const header of analysis.document.headers) if (header.span.line <= line) section = header.name;
  return section;
}

/**
 * Sections at `[`, keys at the start of a line (of the section above), values after `=` or `:`.
 * Works on any text, parsable or not: it reads only the line and the headers above it.
 */
export function completeAgentIni(analysis: AgentIniAnalysis, position: Position): CompletionItem[] {
  const lineText = analysis.document.lines[position.line] ?? '';
  const before = lineText.slice(0, position.character);
  const whole = Range.create(position.line, before.length - before.trimStart().length, position.line, lineText.trimEnd().length);
  if (/^\s*\[[^\]]*$/.test(before)) {
    return AGENT_INI_SECTIONS[analysis.kind].map((spec) => ({
      label: `[${spec.name}]`,
      kind: CompletionItemKind.Module,
      documentation: spec.describe(),
      textEdit: { range: whole, newText: `[${spec.name}]` },
    }));
  }
  const section = sectionAt(analysis, position.line);
  const separator = /[=:]/.exec(before);
  if (!separator) {
    const spec = section ? findSectionSpec(analysis.kind, section) : undefined;
    if (!spec) return [];
    const present = new Set(analysis.document.options.filter((option) => option.section === section).map((option) => option.key));
    return spec.keys
      .filter((key) => !present.has(key.name.toLowerCase()) || analysis.document.options.some((option) => option.key === key.name.toLowerCase() && option.nameSpan.line === position.line))
      .map((key) => ({
        label: key.name,
        kind: CompletionItemKind.Property,
        detail: key.defaultValue !== undefined ? l10n.t('default: {0}', key.defaultValue === '' ? '""' : key.defaultValue) : undefined,
        documentation: key.describe(),
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: whole, newText: `${key.name} = ${key.values ? `\${1|${key.values.join(',')}|}` : '$1'}` },
      }));
  }
  const key = before.slice(0, separator.index).trim();
  const spec = section ? findKeySpec(analysis.kind, section, key) : undefined;
  if (!spec?.values) return [];
  const valueStart = separator.index + 1 + (before.slice(separator.index + 1).length - before.slice(separator.index + 1).trimStart().length);
  const range = Range.create(position.line, valueStart, position.line, Math.max(valueStart, lineText.trimEnd().length));
  return spec.values.map((value) => ({ label: value, kind: CompletionItemKind.Value, textEdit: { range, newText: value } }));
}

function optionAt(analysis: AgentIniAnalysis, position: Position): IniOption | undefined {
  return analysis.document.options.find((option) => option.nameSpan.line === position.line && position.character >= option.nameSpan.start && position.character <= Math.max(option.valueSpan.end, option.nameSpan.end));
}

function describeFrozen(frozen: FrozenMounts): string {
  const reasons: Record<string, () => string> = {
    network: () => l10n.t('network or fuse, never frozen'),
    fsType: () => l10n.t('file system type not frozen'),
    loop: () => l10n.t('loop device'),
    resourceDisk: () => l10n.t('resource disk (assumed)'),
    mountsToSkip: () => l10n.t('listed in MountsToSkip'),
    hidden: () => l10n.t('mounted over'),
  };
  const frozenList = frozen.frozen.map((mount) => `${mount.mountPoint} (${mount.fsType})`).join(', ') || l10n.t('nothing: the run is still reported file-system consistent');
  const notFrozen = frozen.notFrozen.map((mount) => `${mount.mountPoint} (${reasons[mount.reason]()})`).join(', ');
  return [l10n.t('Frozen, in this order: {0}', frozenList), ...(notFrozen ? [l10n.t('Not frozen: {0}', notFrozen)] : [])].join('\n\n');
}

/** The agent's value of a key in this file, in its own terms. */
function effectiveValue(analysis: AgentIniAnalysis, option: IniOption): string {
  if (analysis.document.error) return l10n.t('The agent cannot read this file: it uses the default.');
  const section = option.section === DEFAULT_SECTION ? (AGENT_INI_SECTIONS[analysis.kind][0]?.name ?? option.section) : option.section;
  const value = getValue(analysis.document, section, option.key);
  if (!value) return l10n.t('The agent does not read this key here.');
  if (!value.ok) return l10n.t('Reading it raises {0}.', value.error);
  if (analysis.kind === 'vmbackup' && option.key === 'mountstoskip' && analysis.view) return l10n.t('The agent reads: {0}', JSON.stringify(analysis.view.vmbackup.prediction.mountsToSkip));
  return l10n.t('The agent reads: {0}', JSON.stringify(value.value));
}

export function hoverAgentIni(analysis: AgentIniAnalysis, position: Position): Hover | null {
  const header = analysis.document.headers.find((candidate) => candidate.span.line === position.line);
  if (header) {
    const spec = findSectionSpec(analysis.kind, header.name);
    const text = spec ? spec.describe() : l10n.t('The agent never reads a section [{0}].', header.name);
    return { contents: { kind: MarkupKind.Markdown, value: text }, range: Range.create(header.span.line, header.span.start, header.span.line, header.span.end) };
  }
  const option = optionAt(analysis, position);
  if (!option) return null;
  const spec = findKeySpec(analysis.kind, option.section === DEFAULT_SECTION ? AGENT_INI_SECTIONS[analysis.kind][0].name : option.section, option.key);
  const parts = [`**${option.name}**`, spec ? spec.describe() : l10n.t('The agent never reads this key.')];
  if (spec?.defaultValue !== undefined) parts.push(l10n.t('Default: {0}', spec.defaultValue === '' ? '""' : `\`${spec.defaultValue}\``));
  if (spec) parts.push(effectiveValue(analysis, option));
  if (analysis.kind === 'vmbackup' && option.key === 'mountstoskip' && analysis.view?.frozen) parts.push(describeFrozen(analysis.view.frozen));
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: Range.create(option.nameSpan.line, option.nameSpan.start, option.nameSpan.line, Math.max(option.valueSpan.end, option.nameSpan.end)) };
}

/** The path the agent takes, in one line, for lenses and the CLI. */
export function describeAgentPath(view: AgentFilesView): string {
  return view.path === 'workload' ? l10n.t('Azure agent: workload path — {0}', view.pathReason) : l10n.t('Azure agent: script path ({0}) — {1}', view.scriptConfigVmPath, view.pathReason);
}

export function agentIniLenses(analysis: AgentIniAnalysis): CodeLens[] {
  const view = analysis.view;
  if (!view) return [];
  const top = Range.create(0, 0, 0, 0);
  const lens = (range: Range, title: string): CodeLens => ({ range, command: { title, command: '' } });
  const lenses = [lens(top, describeAgentPath(view))];
  if (analysis.kind === 'workload' && view.path === 'workload') {
    const behaviour = describeWorkloadBehaviour(view.workload.prediction)!;
    lenses.push(lens(top, behaviour.result));
    const first = view.workload.prediction.errors[0];
    if (first) lenses.push(lens(top, l10n.t('First error the agent records: {0} {1}', first.code, agentCodeInfo(first.code).name)));
  }
  if (analysis.kind === 'hostConf') {
    const read = analysis.vmPath === view.hostConf.vmPath && view.path === 'script';
    lenses.push(lens(top, read ? l10n.t('The agent reads this file: {0} plugin(s), cap {1} s', view.hostConf.prediction.numberOfPlugins, view.hostConf.prediction.timeoutCapSeconds) : view.path === 'workload' ? l10n.t('Not used by the agent: workload.conf puts it on the workload path.') : l10n.t('Not used by the agent: it reads {0}.', view.hostConf.vmPath ?? AGENT_INI_VM_PATHS.hostConf)));
  }
  if (analysis.kind === 'vmbackup' && view.frozen) {
    const option = analysis.document.options.find((candidate) => candidate.key === 'mountstoskip');
    const range = option ? Range.create(option.nameSpan.line, 0, option.nameSpan.line, 0) : top;
    const names = view.frozen.frozen.map((mount) => mount.mountPoint).join(', ') || l10n.t('nothing');
    lenses.push(lens(range, l10n.t('Will freeze: {0}', names)));
  }
  return lenses;
}
