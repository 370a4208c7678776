import * as vscode from 'vscode';
import type { PhaseReport, RehearsalReport } from '../../server/src/engine/rehearse/report';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function phaseWords(phase: PhaseReport): string {
  switch (phase.result) {
    case 'success':
      return vscode.l10n.t('exit 0 after {0} s', phase.seconds ?? 0);
    case 'failed':
      return vscode.l10n.t('exit {0} after {1} s', phase.exitCode ?? '?', phase.seconds ?? 0);
    case 'timedout':
      return phase.stillRunning
        ? vscode.l10n.t('timed out, still running (pid {0})', phase.pid ?? '?')
        : vscode.l10n.t('timed out, ended after {0} s', phase.seconds ?? 0);
    case 'not-run':
      return vscode.l10n.t('not run');
  }
}

function consistencyWords(report: RehearsalReport): string {
  switch (report.consistency) {
    case 'application':
      return vscode.l10n.t('application-consistent snapshot');
    case 'file-system':
      return vscode.l10n.t('file-system-consistent snapshot');
    case 'crash':
      return vscode.l10n.t('crash-consistent snapshot');
    case 'none':
      return report.snapshot ? vscode.l10n.t('the snapshot is taken, then the backup is reported failed') : vscode.l10n.t('no snapshot: the backup fails');
  }
}

interface Bar {
  label: string;
  start: number;
  seconds: number;
  kind: string;
  text: string;
  limit?: number;
}

/** Rows of the timeline, in seconds from the start of the rehearsal. */
function bars(report: RehearsalReport): Bar[] {
  const rows: Bar[] = [];
  const phase = (label: string, value: PhaseReport) => {
    if (value.startedAt === null) rows.push({ label, start: 0, seconds: 0, kind: 'not-run', text: phaseWords(value) });
    else rows.push({ label, start: value.startedAt, seconds: value.seconds ?? 0, kind: value.result, text: phaseWords(value), limit: report.timeoutLimitSeconds ?? undefined });
  };
  phase(vscode.l10n.t('pre-script'), report.pre);
  if (report.window) {
    rows.push({
      label: vscode.l10n.t('snapshot window'),
      start: report.window.startedAt,
      seconds: report.window.seconds,
      kind: report.window.opened ? 'window' : 'not-run',
      text: !report.window.opened ? vscode.l10n.t('no snapshot') : report.window.command ? `${report.window.command} (exit ${report.window.exitCode ?? '?'})` : `${report.window.seconds} s`,
    });
  }
  phase(vscode.l10n.t('post-script'), report.post);
  return rows;
}

/** The rehearsal as a page: the agent's verdict, a timeline against the time limit, warnings and the scripts' output. */
export function rehearsalHtml(report: RehearsalReport): string {
  const rows = bars(report);
  const span = Math.max(1, ...rows.map((row) => row.start + Math.max(row.seconds, row.limit ?? 0)));
  const percent = (seconds: number) => `${((seconds / span) * 100).toFixed(2)}%`;
  const agent = `${report.agent.code} ${report.agent.name}${report.agent.docName ? ` (${report.agent.docName})` : ''}`;
  const timeline = rows
    .map((row) => {
      const limit = row.limit !== undefined ? `<div class="limit" style="left:${percent(row.start + row.limit)}" title="${escapeHtml(vscode.l10n.t('time limit {0} s', row.limit))}"></div>` : '';
      return `<div class="row"><div class="label">${escapeHtml(row.label)}</div><div class="track"><div class="bar ${row.kind}" style="left:${percent(row.start)};width:${percent(Math.max(row.seconds, span / 200))}"></div>${limit}</div><div class="text">${escapeHtml(row.text)}</div></div>`;
    })
    .join('\n');
  const list = (title: string, items: string[]) => (items.length ? `<h2>${escapeHtml(title)}</h2><ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '');
  const verify = report.verify
    ? list(report.verify.passed ? vscode.l10n.t('Verified with {0}', report.verify.application) : vscode.l10n.t('Verification with {0} failed', report.verify.application), [report.verify.quiesced, report.verify.released].filter((check) => check !== null).map((check) => `${check!.ok ? '✔' : '✖'} ${check!.message}`))
    : '';
  const output = (['pre', 'post'] as const)
    .flatMap((side) => (['stdout', 'stderr'] as const).map((stream) => ({ side, stream, text: report[side].output?.[stream] ?? '' })))
    .filter((entry) => entry.text.length > 0)
    .map((entry) => `<h3>${escapeHtml(`${entry.side} ${entry.stream}`)}</h3><pre>${escapeHtml(entry.text)}</pre>`)
    .join('\n');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em; }
.verdict { font-size: 1.3em; margin: 0.6em 0; }
.ok { color: var(--vscode-testing-iconPassed, #3c3); } .bad { color: var(--vscode-errorForeground, #e44); }
.row { display: grid; grid-template-columns: 8em minmax(14em, 1fr) minmax(8em, 18em); gap: 0.8em; align-items: center; margin: 0.4em 0; }
.track { position: relative; height: 1.4em; background: var(--vscode-editorWidget-background, #8882); }
.bar { position: absolute; top: 0; bottom: 0; border-radius: 3px; }
.success { background: #3a3; } .failed { background: #d33; } .timedout { background: #e80; } .window { background: #48c; } .not-run { background: transparent; }
.limit { position: absolute; top: -0.3em; bottom: -0.3em; border-left: 2px dashed var(--vscode-foreground); }
pre { background: var(--vscode-textCodeBlock-background, #8882); padding: 0.5em; white-space: pre-wrap; }
</style></head><body>
<h1>${escapeHtml(vscode.l10n.t('Backup rehearsal'))}</h1>
<div>${escapeHtml(report.config)}</div>
<div class="verdict ${report.agent.code === 0 ? 'ok' : 'bad'}">${escapeHtml(vscode.l10n.t('The agent would report {0}: {1}', agent, consistencyWords(report)))}</div>
${report.ran ? '' : `<p>${escapeHtml(vscode.l10n.t('Nothing ran: {0}', report.reason ?? ''))}</p>`}
${report.ran ? `<p>${escapeHtml(vscode.l10n.t('Time limit {0} s per script (the agent polls every {1} s); the dashed line marks it.', report.timeoutLimitSeconds ?? '?', report.pollSeconds ?? '?'))}</p>` : ''}
${timeline}
${verify}
${list(vscode.l10n.t('Warnings'), report.warnings.map((warning) => warning.message))}
${list(vscode.l10n.t('Differences from running the scripts in a terminal'), report.differences.map((note) => (note.file ? `${note.file}:${note.line}: ${note.message}` : note.message)))}
${output ? `<h2>${escapeHtml(vscode.l10n.t('Output left in the pipes, as the scripts wrote it'))}</h2>${output}` : ''}
</body></html>`;
}
