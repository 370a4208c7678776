import * as path from 'path';
import { pathToFileURL } from 'url';
import { ConfigFileAnalysis, FileAnalysis, isUnreadable } from '../engine/analyze';
import * as l10n from '@vscode/l10n';
import { describeConsistency } from '../engine/scripts/behaviour/verdict';
import type { EngineDiagnostic, Severity } from '../engine/types';
import { describeBackupFlow } from '../engine/describe';

export type OutputFormat = 'text' | 'json' | 'sarif';

/**
 * Findings in scripts are located like their config: relative when the user named the config
 * relatively (CI logs, problem matchers and code scanning resolve paths from the repository).
 */
function displayPath(analysis: ConfigFileAnalysis, file: string): string {
  if (path.isAbsolute(analysis.configPath) || !path.isAbsolute(file)) return file;
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export function diagnosticFile(analysis: ConfigFileAnalysis, diagnostic: EngineDiagnostic): string {
  return displayPath(analysis, diagnostic.file ?? analysis.configPath);
}

/** The predicted run, or null for a config this user cannot read. */
function agentJson(analysis: ConfigFileAnalysis) {
  if (isUnreadable(analysis)) return null;
  return {
    code: analysis.outcome.code,
    name: analysis.outcome.name,
    ...(analysis.outcome.docName ? { docName: analysis.outcome.docName } : {}),
    silent: analysis.outcome.silent,
    ...analysis.backup,
    ...(analysis.consistencyNotAchieved ? { consistencyNotAchieved: analysis.consistencyNotAchieved } : {}),
  };
}

/** The JSON contract of `vmsnapshot check --format json` (see README, "JSON output"). */
export function toJson(analyses: readonly ConfigFileAnalysis[]): string {
  const files = analyses.map((analysis) => ({
    path: analysis.configPath,
    agent: agentJson(analysis),
    effective: isUnreadable(analysis) ? null : analysis.effective,
    complete: !isUnreadable(analysis) && analysis.complete,
    diagnostics: analysis.diagnostics.map((diagnostic) => ({
      code: diagnostic.code,
      severity: diagnostic.severity,
      message: diagnostic.message,
      range: diagnostic.range,
      file: diagnosticFile(analysis, diagnostic),
      ...(diagnostic.agentCode !== undefined ? { agentCode: diagnostic.agentCode } : {}),
    })),
  }));
  return JSON.stringify({ files }, null, 2);
}

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[90m' };
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

function effectiveValuesLine(analysis: FileAnalysis): string {
  const effective = analysis.effective;
  if (!effective) return l10n.t('the agent cannot load this config');
  const timeout = effective.timeoutInSeconds === null ? l10n.t('none') : `${effective.timeoutInSeconds} s`;
  const limit = effective.timeoutLimitSeconds === null ? '' : l10n.t(' (really {0} s)', effective.timeoutLimitSeconds);
  const argv = (values: string[] | null): string => (values ? values.map((value) => JSON.stringify(value)).join(' ') : l10n.t('crashes'));
  return [
    l10n.t('timeout {0}{1}, poll {2} s, continueBackupOnFailure {3}, fsFreezeEnabled {4}', timeout, limit, effective.pollSeconds, String(effective.continueBackupOnFailure), String(effective.fsFreezeEnabled)),
    l10n.t('pre: {0}', argv(effective.preScriptArgv)),
    l10n.t('post: {0}', argv(effective.postScriptArgv)),
  ].join('\n  ');
}

/** Compiler-style lines (`path:line:col: severity code: message`), which editors and CI logs link. */
export function toText(analyses: readonly ConfigFileAnalysis[], colour: boolean): string {
  const paint = (code: string, text: string): string => (colour ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  for (const analysis of analyses) {
    // File by file, as the engine grouped them: the config first, then what it names.
    for (const file of analysis.files) {
      for (const diagnostic of file.diagnostics) {
        const where = `${displayPath(analysis, file.path)}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
        lines.push(`${paint(BOLD, where)}: ${paint(COLOURS[diagnostic.severity], diagnostic.severity)} ${diagnostic.code}: ${diagnostic.message}`);
      }
    }
    if (isUnreadable(analysis)) {
      lines.push(`${paint(BOLD, analysis.configPath)}: ${l10n.t('agent result: unknown, the config could not be read')}`);
      continue;
    }
    const outcome = analysis.outcome;
    const docName = outcome.docName ? ` (${outcome.docName})` : '';
    const consistency = analysis.consistencyNotAchieved ? ` · ${describeConsistency(analysis.consistencyNotAchieved)}` : '';
    lines.push(`${paint(BOLD, analysis.configPath)}: ${l10n.t('agent result: {0} {1}{2}', outcome.code, outcome.name, docName)}${consistency}`);
    lines.push(`  ${describeBackupFlow(analysis.backup)}`);
    lines.push(`  ${effectiveValuesLine(analysis)}`);
  }
  return lines.join('\n');
}

/** SARIF wants URIs: file URLs for absolute paths, percent-encoded relative references otherwise. */
function sarifUri(filePath: string): string {
  if (path.isAbsolute(filePath)) return pathToFileURL(filePath).toString();
  return filePath.split(path.sep).map(encodeURIComponent).join('/');
}

const SARIF_LEVELS: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0, so that code-scanning UIs show the findings on the right file and line. */
export function toSarif(analyses: readonly ConfigFileAnalysis[], toolVersion: string): string {
  const ruleIds = new Set<string>();
  const results = analyses.flatMap((analysis) =>
    analysis.diagnostics.map((diagnostic) => {
      ruleIds.add(diagnostic.code);
      return {
        ruleId: diagnostic.code,
        level: SARIF_LEVELS[diagnostic.severity],
        message: { text: diagnostic.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: sarifUri(diagnosticFile(analysis, diagnostic)) },
              region: {
                startLine: diagnostic.range.start.line + 1,
                startColumn: diagnostic.range.start.character + 1,
                endLine: diagnostic.range.end.line + 1,
                endColumn: diagnostic.range.end.character + 1,
              },
            },
          },
        ],
        ...(diagnostic.agentCode !== undefined ? { properties: { agentCode: diagnostic.agentCode } } : {}),
      };
    }),
  );
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'vmsnapshot', version: toolVersion, informationUri: 'https://example.invalid/vmsnapshot-scripts#diagnostics', rules: [...ruleIds].sort().map((id) => ({ id })) } },
          results,
        },
      ],
    },
    null,
    2,
  );
}
