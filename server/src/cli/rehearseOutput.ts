import * as l10n from '@vscode/l10n';
import type { PhaseReport, RehearsalReport } from '../engine/rehearse';

function quoteArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function resultWords(phase: PhaseReport): string {
  switch (phase.result) {
    case 'success':
      return l10n.t('success');
    case 'failed':
      return l10n.t('failed (exit {0})', phase.exitCode ?? '?');
    case 'timedout':
      return l10n.t('timed out');
    case 'not-run':
      return l10n.t('not run');
  }
}

function consistencyWords(report: RehearsalReport): string {
  switch (report.consistency) {
    case 'application':
      return l10n.t('application-consistent snapshot');
    case 'file-system':
      return l10n.t('file-system-consistent snapshot');
    case 'crash':
      return l10n.t('crash-consistent snapshot');
    case 'none':
      return report.snapshot ? l10n.t('the snapshot is taken, then the backup is reported failed') : l10n.t('no snapshot: the backup fails');
  }
}

function phaseLine(name: string, phase: PhaseReport, limit: number | null): string {
  if (phase.result === 'not-run') return `  ${name}  ${resultWords(phase)}`;
  const share = limit && phase.seconds !== null ? ` (${Math.round((phase.seconds / limit) * 100)} %)` : '';
  const running = phase.stillRunning ? l10n.t(', still running (pid {0})', phase.pid ?? '?') : '';
  const timing = l10n.t('{0} s of {1} s{2}', phase.seconds ?? '?', limit ?? '?', share);
  return `  ${name}  ${quoteArgv(phase.argv ?? [])}\n        ${resultWords(phase)}, ${timing}${running}`;
}

function outputBlock(name: string, phase: PhaseReport): string[] {
  if (!phase.output || !phase.pipeBytes) return [];
  const lines: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    if (phase.pipeBytes[stream] === 0) continue;
    lines.push(l10n.t('{0} {1}, {2} bytes left in the pipe (shown as the script wrote it):', name, stream, phase.pipeBytes[stream]));
    const text = phase.output[stream];
    const shown = text.length > 2000 ? `${text.slice(0, 2000)}\n${l10n.t('… ({0} more characters in the JSON report)', text.length - 2000)}` : text;
    lines.push(...shown.replace(/\n$/, '').split('\n').map((line) => `  | ${line}`));
  }
  return lines;
}

/** The rehearsal as a timeline a person reads in the terminal. */
export function rehearsalToText(report: RehearsalReport): string {
  const lines: string[] = [];
  const agent = `${report.agent.code} ${report.agent.name}${report.agent.docName ? ` (${report.agent.docName})` : ''}`;
  lines.push(l10n.t('Rehearsal of {0}', report.config));
  if (!report.ran) {
    lines.push(`  ${l10n.t('Nothing ran: {0}', report.reason ?? '')}`);
  } else {
    lines.push(`  ${l10n.t('time limit {0} s, really {1} s (the agent polls every {2} s)', report.timeoutSeconds ?? '?', report.timeoutLimitSeconds ?? '?', report.pollSeconds ?? '?')}`);
    lines.push(phaseLine('pre ', report.pre, report.timeoutLimitSeconds));
    const window = report.window;
    if (window) {
      const what = !window.opened
        ? l10n.t('no snapshot after this pre-script')
        : window.command !== null
          ? l10n.t('ran {0}: exit {1}', window.command, window.exitCode ?? '?')
          : l10n.t('waited {0} s (--between runs a command here)', window.seconds);
      lines.push(`  ${l10n.t('window')}  ${what}`);
    }
    lines.push(phaseLine('post', report.post, report.timeoutLimitSeconds));
  }
  lines.push(l10n.t('Agent result: {0}: {1}', agent, consistencyWords(report)));
  if (report.verify) {
    const verify = report.verify;
    lines.push(verify.passed ? l10n.t('Verified with {0}: quiesced during the window and released after it.', verify.application) : l10n.t('Verification with {0} FAILED:', verify.application));
    for (const check of [verify.quiesced, verify.released]) if (check) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.message}`);
  }
  for (const warning of report.warnings) lines.push(`${l10n.t('warning')}: ${warning.message}`);
  if (report.differences.length > 0) {
    lines.push(l10n.t('Differences from running the scripts by hand in a terminal:'));
    for (const note of report.differences) lines.push(`  ${note.file ? `${note.file}:${note.line}: ` : ''}${note.message}`);
  }
  lines.push(...outputBlock('pre', report.pre), ...outputBlock('post', report.post));
  return lines.join('\n');
}
