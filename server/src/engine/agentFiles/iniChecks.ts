import * as l10n from '@vscode/l10n';
import { AgentFileCode } from '../codes';
import { DEFAULT_SECTION, IniDocument, IniError, IniLineSpan, IniOption } from '../ini/configParser';
import type { EngineDiagnostic, Range, Severity } from '../types';
import { AgentIniKind, AGENT_INI_SECTIONS, findKeySpec, findSectionSpec, KEYS_NOBODY_READS } from './catalogue';

export function spanRange(span: IniLineSpan): Range {
  return { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } };
}

export function lineRange(document: IniDocument, line: number): Range {
  const text = document.lines[line] ?? '';
  return { start: { line, character: 0 }, end: { line, character: text.length } };
}

/** The range of an option's value, or of its name when the value is empty. */
export function valueRange(option: IniOption): Range {
  return option.value === '' ? spanRange(option.nameSpan) : spanRange(option.valueSpan);
}

/** Collects one file's findings, each carrying that file's path. */
export class FileFindings {
  readonly diagnostics: EngineDiagnostic[] = [];

  constructor(readonly file: string) {}

  add(range: Range, code: string, severity: Severity, message: string, rule: string, extra: { agentCode?: number; data?: Record<string, unknown> } = {}): void {
    this.diagnostics.push({ code, severity, message, range, file: this.file, ...(extra.agentCode !== undefined ? { agentCode: extra.agentCode } : {}), data: { rule, ...extra.data } });
  }
}

function describeIniError(error: IniError): string {
  switch (error.kind) {
    case 'MissingSectionHeaderError':
      return l10n.t('a line before any [section] header');
    case 'DuplicateSectionError':
      return l10n.t('section [{0}] appears twice', error.section ?? '');
    case 'DuplicateOptionError':
      return l10n.t('key {0} appears twice in [{1}]', error.option ?? '', error.section ?? '');
    case 'ParsingError':
      return l10n.t('a line that is neither a [section], a key = value, nor a comment');
  }
}

/**
 * Python 3's read() raises on the first duplicate or missing header, and on any unparsable line
 * at the end; each problem is shown where it is, with what the agent then does with the file.
 */
export function checkParseErrors(document: IniDocument, findings: FileFindings, consequence: string, code: string = AgentFileCode.notParsed, agentCode?: number): void {
  for (const problem of document.problems) {
    const duplicate = problem.kind === 'DuplicateOptionError' ? ` ${l10n.t('(Python 2 would keep the last value; Python 3, which modern images run, fails.)')}` : '';
    findings.add(lineRange(document, problem.line), code, 'error', `${l10n.t('Python\'s configparser cannot read this file: {0}.', describeIniError(problem))} ${consequence}${duplicate}`, 'iniParse', {
      ...(agentCode !== undefined ? { agentCode } : {}),
      data: { kind: problem.kind },
    });
  }
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The closest of `candidates` to `word`: same letters in another case first, then up to two edits. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase().replace(/^["']|["']$/g, '');
  const exact = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Sections the agent never asks for (section names are case-sensitive), keys nobody reads,
 * quotes and inline comments that stay in the value.
 */
export function checkNamesAndValues(kind: AgentIniKind, document: IniDocument, findings: FileFindings, quotedKeysHandled: readonly string[] = []): void {
  const sectionNames = AGENT_INI_SECTIONS[kind].map((spec) => spec.name);
  for (const header of document.headers) {
    if (header.name === DEFAULT_SECTION || findSectionSpec(kind, header.name)) continue;
    const suggestion = didYouMean(header.name, sectionNames);
    const message = suggestion
      ? l10n.t('The agent never reads a section [{0}]: it asks for [{1}], and section names are case-sensitive. The keys below are ignored.', header.name, suggestion)
      : l10n.t('The agent never reads a section [{0}]; it reads {1}. The keys below are ignored.', header.name, sectionNames.map((name) => `[${name}]`).join(', '));
    findings.add(spanRange(header.span), AgentFileCode.unknownSection, 'warning', message, 'unknownSection', { data: { section: header.name, ...(suggestion ? { suggestion } : {}) } });
  }
  const deadKeys = KEYS_NOBODY_READS[kind];
  for (const option of document.options) {
    const section = findSectionSpec(kind, option.section);
    if (!section && option.section !== DEFAULT_SECTION) continue;
    const dead = deadKeys[option.key];
    if (dead) {
      findings.add(spanRange(option.nameSpan), AgentFileCode.keyNotRead, 'warning', dead(), 'deadKey', { data: { key: option.name } });
    } else if (section && !findKeySpec(kind, option.section, option.key)) {
      const elsewhere = AGENT_INI_SECTIONS[kind].find((other) => other !== section && other.keys.some((spec) => spec.name.toLowerCase() === option.key));
      const suggestion = didYouMean(option.name, section.keys.map((spec) => spec.name));
      const message = elsewhere
        ? l10n.t('The agent reads {0} from [{1}], not from [{2}]: here it is ignored.', option.name, elsewhere.name, section.name)
        : suggestion
          ? l10n.t('The agent never reads {0} in [{1}]. Did you mean {2}?', option.name, section.name, suggestion)
          : l10n.t('The agent never reads {0} in [{1}].', option.name, section.name);
      findings.add(spanRange(option.nameSpan), AgentFileCode.keyNotRead, 'warning', message, 'unknownKey', { data: { key: option.name, ...(suggestion ? { suggestion } : {}) } });
    }
    if (!quotedKeysHandled.includes(option.key) && /^(["']).*\1$/s.test(option.value) && option.value.length >= 2) {
      findings.add(valueRange(option), AgentFileCode.valueQuoted, 'warning', l10n.t('The quotes are part of the value: the agent reads {0} with them.', option.value), 'quoted', { data: { key: option.name, unquoted: option.value.slice(1, -1) } });
    }
    const comment = /[ \t][#;]/.exec(option.value);
    if (comment) {
      findings.add(valueRange(option), AgentFileCode.inlineCommentKept, 'warning', l10n.t('The comment is part of the value: Python 3\'s configparser keeps "{0}" whole. Put comments on their own line.', option.value), 'inlineComment', {
        data: { key: option.name, value: option.value.slice(0, comment.index).trimEnd() },
      });
    }
  }
}
