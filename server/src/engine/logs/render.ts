import * as l10n from '@vscode/l10n';
import type { Consistency, FreezeResult, RelatedLine, RunReport, ScriptConfigState, ScriptOutcome, SnapshotResult } from './model';
import { searchableName } from './statusCodes';

/** Plain words for the JSON vocabulary, shared by the CLI, the code lenses and the timeline. */
export function describeConsistency(value: Consistency): string {
  switch (value) {
    case 'application':
      return l10n.t('application consistent');
    case 'fileSystem':
      return l10n.t('file-system consistent');
    case 'crash':
      return l10n.t('crash consistent');
    case 'none':
      return l10n.t('no recovery point');
    default:
      return l10n.t('unknown');
  }
}

export function describeScript(outcome: ScriptOutcome): string {
  switch (outcome.result) {
    case 'success':
      return l10n.t('succeeded');
    case 'failed':
      return outcome.exitCode === null ? l10n.t('failed') : l10n.t('failed (exit code {0})', outcome.exitCode);
    case 'timedOut':
      return l10n.t('timed out');
    case 'notRun':
      return l10n.t('not run');
    default:
      return l10n.t('unknown');
  }
}

export function describeScriptConfig(value: ScriptConfigState): string {
  if (typeof value === 'number') return l10n.t('not used: {0} ({1})', searchableName(value), value);
  if (value === 'loaded') return l10n.t('loaded');
  if (value === 'workload') return l10n.t('replaced by workload.conf (enhanced framework)');
  return l10n.t('unknown');
}

export function describeFreeze(value: FreezeResult, milestone: number | null): string {
  const words: Record<FreezeResult, string> = { completed: l10n.t('completed'), failed: l10n.t('failed'), timedOut: l10n.t('timed out'), notAttempted: l10n.t('not attempted'), unknown: l10n.t('unknown') };
  return milestone === null ? words[value] : l10n.t('{0} (last milestone {1})', words[value], milestone);
}

export function describeSnapshot(value: SnapshotResult): string {
  const words: Record<SnapshotResult, string> = { allDisks: l10n.t('all disks'), partial: l10n.t('some disks failed'), failed: l10n.t('failed'), notAttempted: l10n.t('not attempted'), unknown: l10n.t('unknown') };
  return words[value];
}

function describeCode(code: number | null): string {
  return code === null ? l10n.t('unknown') : `${code} (${searchableName(code)})`;
}

/** One line for a run: what the code lens and a summary show. */
export function summarizeRun(run: RunReport): string {
  const key = run.key.sequenceNumber === null ? '' : ` ${run.key.sequenceNumber}`;
  return l10n.t('Backup run{0}: {1} · code {2} · pre {3} · freeze {4} · post {5}', key, describeConsistency(run.consistency), run.finalCode ?? '?', describeScript(run.pre), describeFreeze(run.freeze, null), describeScript(run.post));
}

/** The text timeline of `vmsnapshot explain` and of the editor's "Explain the last backup". */
export function renderRuns(runs: readonly RunReport[]): string {
  if (runs.length === 0) return l10n.t('No backup run found in this text.');
  const out: string[] = [];
  for (const run of runs) {
    const key = [run.key.sequenceNumber === null ? l10n.t('sequence number unknown') : l10n.t('sequence number {0}', run.key.sequenceNumber), run.key.taskId ? l10n.t('task {0}', run.key.taskId) : undefined, run.start ? l10n.t('started {0}', run.start) : undefined].filter(Boolean).join(' · ');
    out.push(l10n.t('Backup run ({0})', key));
    out.push(`  ${l10n.t('consistency reached:')} ${describeConsistency(run.consistency)}`);
    out.push(`  ${l10n.t('final code:')} ${describeCode(run.finalCode)} · ${l10n.t('health code:')} ${describeCode(run.healthCode)}`);
    out.push(`  ${l10n.t('script config:')} ${describeScriptConfig(run.scriptConfig)}`);
    out.push(`  ${l10n.t('pre-script:')} ${describeScript(run.pre)}`);
    out.push(`  ${l10n.t('freeze:')} ${describeFreeze(run.freeze, run.lastMilestone)}`);
    out.push(`  ${l10n.t('snapshot:')} ${describeSnapshot(run.snapshot)}`);
    out.push(`  ${l10n.t('post-script:')} ${describeScript(run.post)}`);
    if (run.timeline.length > 0) {
      out.push(`  ${l10n.t('timeline (freeze block put back in time; times ending in Z are UTC, the others the VM\'s local time):')}`);
      for (const event of run.timeline) out.push(`    ${event.time ?? '                          '}  ${event.file}:${event.line}  ${event.text}`);
    }
    const findings = [...run.findings].sort((a, b) => rank(a.severity) - rank(b.severity));
    if (findings.length > 0) {
      out.push(`  ${l10n.t('what it means:')}`);
      for (const finding of findings) {
        out.push(`    ${finding.file}:${finding.line}: ${finding.severity} ${finding.code}: ${finding.message}`);
        if (finding.related) out.push(`      → ${finding.related.file}:${finding.related.line}: ${describeRelated(finding.related, run)}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

/** What the linked line is, in words: the timeline's arrow and the editor's related information. */
export function describeRelated(related: RelatedLine, run: Pick<RunReport, 'pre' | 'post'>): string {
  const script = related.script === 'post' ? l10n.t('post-script') : l10n.t('pre-script');
  switch (related.reason) {
    case 'exit': {
      const code = (related.script === 'post' ? run.post : run.pre).exitCode ?? '?';
      return related.lines ? l10n.t('the {0} exits {1} here (lines {2})', script, code, related.lines.join(', ')) : l10n.t('the {0} exits {1} here', script, code);
    }
    case 'wait':
      return l10n.t('the {0}\'s longest wait: make it shorter than the agent\'s limit, or raise timeoutInSeconds', script);
    case 'scriptStart':
      return l10n.t('the {0} (no exit in it gives this code: a failing command, set -e, or the shell)', script);
    case 'configKey':
      return related.key ?? '';
  }
}

function rank(severity: string): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}
