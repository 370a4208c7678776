import * as l10n from '@vscode/l10n';
import type { LogEntry } from './entries';
import type { Finding, FindingSeverity } from './model';
import type { Conclusions, RunFacts } from './reconstruct';
import { searchableName } from './statusCodes';

/** Codes of the findings that are not one of the agent's own failures (those use its names). */
export const LogFindingCode = {
  runCutOff: 'RunCutOff',
  hiddenFailure: 'FailureBehindSuccess',
  nothingFrozen: 'NothingFrozen',
  thawWindowBroken: 'ThawWindowBroken',
  statusNotWritten: 'StatusNotWritten',
  handlerNeverRan: 'HandlerNeverRan',
  interleaved: 'RunsInterleaved',
  retryNeverReruns: 'RetryNeverReruns',
  noScriptConfig: 'NoScriptConfig',
  appConsistentNoPromise: 'AppConsistentIsNoPromise',
  statusWordSuccess: 'StatusWordSuccess',
  consistencyFieldWrong: 'SnapshotConsistencyField',
  freezeBlockLater: 'FreezeBlockWrittenLater',
  notTheSnapshot: 'NotTheSnapshot',
  noRetryHappens: 'NoRetryHappens',
  anyHttpFailure: 'AnyHttpFailure',
  workloadSectionEverywhere: 'WorkloadSectionOnEveryVm',
  constantAgentVersion: 'ConstantAgentVersion',
  fithawNoise: 'ThawOfUnfrozenMount',
  hostConfFallback: 'HostConfFallback',
} as const;

/**
 * Lines that say something else than they mean (agent-logs.md §7). Each gets a note wherever
 * it appears: the CLI lists it once per run, the editor shows it on hover.
 */
const MISLEADING: { pattern: RegExp; code: string; note: () => string }[] = [
  { pattern: /^(?:Pre|Post)script for .+ failed\. Retrying\.\.\./, code: LogFindingCode.retryNeverReruns, note: () => l10n.t('"Retrying" re-runs nothing: the agent only reads the exit code of the same finished script again, within milliseconds. The script ran once.') },
  { pattern: /^Plugin host file does not exist in the location /, code: LogFindingCode.noScriptConfig, note: () => l10n.t('Despite its words, this line means that the script config (VMSnapshotScriptPluginConfig.json) is missing: the normal state of a VM without pre- and post-scripts. No script runs; the backup is file-system consistent.') },
  { pattern: /^Plugin host Config file does not exist in the location \/etc\/azure\/VMSnapshotPluginHost\.conf/, code: LogFindingCode.hostConfFallback, note: () => l10n.t('Normal: without /etc/azure/VMSnapshotPluginHost.conf the agent uses the copy shipped with the extension.') },
  { pattern: /^App Consistent Consistent Backup Enabled/, code: LogFindingCode.appConsistentNoPromise, note: () => l10n.t('Promises nothing: it only says that the script config was loaded. Whether the backup is application consistent depends on the scripts\' results and the final code (0).') },
  { pattern: /^Enable,success,(?!0,|1,|4,)\d+,/, code: LogFindingCode.statusWordSuccess, note: () => l10n.t('The word "success" here means nothing: the code after it is the result, and it is a failure.') },
  { pattern: /^=+ ?Logs during Freeze Start/, code: LogFindingCode.freezeBlockLater, note: () => l10n.t('The lines of this block were kept in memory while the disks were frozen and written later (after the thaw, or at the very end of a failed run): their own times, not their place in the file, say when they happened.') },
  { pattern: /^(?:Taking Snapshot through Host|PreSnapshot: Status Code: )/, code: LogFindingCode.notTheSnapshot, note: () => l10n.t('This is the host\'s pre-check, before the freeze: the snapshot itself is milestones 5 and 6 and the "From Host- IsSuccessful" lines.') },
  { pattern: /^Retrying when snapshot failed with SnapshotRateExceeded/, code: LogFindingCode.noRetryHappens, note: () => l10n.t('No retry happens here: "Retrying" is advice to the backup service, which tries again in a later run.') },
  { pattern: /Hitting wrong WireServer IP/, code: LogFindingCode.anyHttpFailure, note: () => l10n.t('Any failed HTTP call to the host prints this; the address is usually right. Look at the network and the host\'s answer, not at the IP.') },
  { pattern: /^WorkloadPatch: config section present for workloads/, code: LogFindingCode.workloadSectionEverywhere, note: () => l10n.t('Printed on every VM (the extension installs an empty workload.conf): only "workload backup enabled for workload:" means the enhanced framework ran.') },
  { pattern: /^Guest Agent Version is :WALinuxAgent-2\.0\.16/, code: LogFindingCode.constantAgentVersion, note: () => l10n.t('A constant of the extension\'s bundled library, not the VM\'s guest agent version (telemetry guestAgentVersion has that).') },
  { pattern: /^Failed to FITHAW: .*Invalid argument/, code: LogFindingCode.fithawNoise, note: () => l10n.t('Cleanup after a failed freeze: this mount was never frozen, so thawing it fails. Not a thaw problem; look at the FIFREEZE error before it.') },
];

/** What a misleading line really means, or undefined for an ordinary line. */
export function misleadingNote(message: string): { code: string; note: string } | undefined {
  for (const item of MISLEADING) if (item.pattern.test(message)) return { code: item.code, note: item.note() };
  return undefined;
}

function at(entry: LogEntry, code: string, severity: FindingSeverity, message: string): Finding {
  return { code, severity, message, file: entry.file, line: entry.line };
}

function seconds(from: LogEntry | undefined, to: LogEntry | undefined): number | undefined {
  if (!from?.time || !to?.time || from.time.clock !== to.time.clock) return undefined;
  const elapsed = Math.round((to.time.wallMs - from.time.wallMs) / 1000);
  return elapsed >= 0 ? elapsed : undefined;
}

/** What the failure meant for this run's recovery point, in one sentence. */
function consequence(conclusions: Conclusions): string {
  switch (conclusions.consistency) {
    case 'application':
      return l10n.t('The recovery point is application consistent.');
    case 'fileSystem':
      return l10n.t('The backup went on: the recovery point is only file-system consistent.');
    case 'crash':
      return l10n.t('The recovery point is only crash consistent.');
    case 'none':
      return l10n.t('This run made no recovery point (final code {0}).', conclusions.finalCode ?? '?');
    default:
      return l10n.t('The log does not say what this meant for the recovery point.');
  }
}

function scriptFindings(facts: RunFacts, conclusions: Conclusions, side: 'pre' | 'post'): Finding[] {
  const findings: Finding[] = [];
  const label = side === 'pre' ? l10n.t('pre-script') : l10n.t('post-script');
  for (const [plugin, result] of facts[side].results) {
    if (result.result === 'timedOut') {
      const settings = facts.plugins.get(plugin);
      const elapsed = seconds(facts[side].running.get(plugin), result.entry);
      const poll = settings && settings.pollCount > 0 ? Math.round(settings.timeout / settings.pollCount) : undefined;
      const limits = settings ? l10n.t(' (timeout {0} s, poll {1} s)', settings.timeout, poll ?? '?') : '';
      const after = elapsed !== undefined ? l10n.t(' after {0} s', elapsed) : '';
      const code = searchableName(side === 'pre' ? 308 : 309);
      findings.push(
        at(result.entry, code, 'error', l10n.t('The {0} of {1} timed out{2}{3}: raise timeoutInSeconds or make it faster. The agent does not stop it: it may still be running. {4}', label, plugin, after, limits, consequence(conclusions))),
      );
    } else if (result.result === 'failed') {
      const code = searchableName(side === 'pre' ? 300 : 301);
      const exit = result.exitCode === null ? l10n.t('failed') : l10n.t('exited with code {0}', result.exitCode);
      const hidden = side === 'post' && conclusions.finalCode === 1 ? l10n.t(' The portal shows a successful file-system consistent backup: this failure is only in the health code.') : '';
      findings.push(at(result.entry, code, 'error', l10n.t('The {0} of {1} {2}. {3}{4}', label, plugin, exit, consequence(conclusions), hidden)));
    }
  }
  return findings;
}

/** The findings of one run: what failed and why, the traps in its lines, and what to change. */
export function runFindings(facts: RunFacts, conclusions: Conclusions): Finding[] {
  const findings: Finding[] = [...scriptFindings(facts, conclusions, 'pre'), ...scriptFindings(facts, conclusions, 'post')];

  const precheck = facts.precheck;
  if (precheck && precheck.code !== undefined) {
    if (precheck.code === 316) findings.push(at(precheck.entry, LogFindingCode.noScriptConfig, 'information', l10n.t('No script config (/etc/azure/VMSnapshotScriptPluginConfig.json): no pre- or post-script runs, and at best the backup is file-system consistent. Normal on a VM without scripts.')));
    else {
      const stopped = precheck.stopped ? l10n.t('continueBackupOnFailure is false, so no snapshot was taken.') : consequence(conclusions);
      findings.push(at(precheck.entry, searchableName(precheck.code), 'error', l10n.t('The agent did not run the scripts: {0} ({1}). {2}', searchableName(precheck.code), precheck.code, stopped)));
    }
  }

  if (conclusions.freeze === 'failed' || conclusions.freeze === 'timedOut') {
    const entry = facts.freezeDetail ?? facts.freezeFailed ?? facts.freezeTimedOut ?? facts.finalStatus?.entry;
    if (entry) {
      const detail = facts.freezeDetail ? ` (${facts.freezeDetail.message.trim()})` : '';
      const message =
        conclusions.freeze === 'timedOut'
          ? l10n.t('The file systems were not frozen in time (SafeFreezeWaitInSeconds, 66 s by default){0}: a busy disk or a stuck mount. {1}', detail, consequence(conclusions))
          : l10n.t('The freeze failed{0}: check the mount named here (FIFREEZE refused, or the mount could not be opened), or add it to MountsToSkip in /etc/azure/vmbackup.conf. {1}', detail, consequence(conclusions));
      findings.push(at(entry, searchableName(conclusions.freeze === 'timedOut' ? 122 : 121), 'error', message));
    }
  }

  if (facts.thawBroken && conclusions.finalCode === 2) {
    findings.push(at(facts.thawBroken, LogFindingCode.thawWindowBroken, 'error', l10n.t('The snapshot was not taken entirely inside the freeze (the freeze binary thawed on its own or failed to thaw): the agent reports code 2 and this run counts as failed. A slow snapshot call longer than the thaw timeout ("timeout" in /etc/azure/vmbackup.conf, 60 s) does this.')));
  }

  if (conclusions.snapshot === 'partial' || conclusions.snapshot === 'failed') {
    const entry = facts.disks.find((disk) => !disk.ok)?.entry ?? facts.snapshotFailure?.entry ?? facts.finalStatus?.entry;
    if (entry) {
      const message = conclusions.snapshot === 'partial' ? l10n.t('Some disks were not snapshotted: this run made no recovery point (code 76). Check the disks\' network access (restricted network).') : l10n.t('The snapshot failed on every disk: this run made no recovery point (final code {0}).', conclusions.finalCode ?? '?');
      findings.push(at(entry, searchableName(conclusions.snapshot === 'partial' ? 761 : (conclusions.finalCode ?? 76)), 'error', message));
    }
  }

  if (conclusions.finalCode === 556 && facts.finalStatus) {
    findings.push(at(facts.finalStatus.entry, searchableName(556), 'error', l10n.t('The host answered the snapshot request with an error (HTTP 500). The agent then fails to write its final status, so the status file still says "transitioning" (code 4).')));
  }
  if (facts.crpTimeout) findings.push(at(facts.crpTimeout, searchableName(402), 'error', l10n.t('The agent ran more than 140 minutes after the backup was requested and gave up: no recovery point from this run.')));

  if (conclusions.finalCode === 1 && conclusions.healthCode !== null && conclusions.healthCode > 1 && conclusions.healthCode !== 316 && conclusions.healthCode !== 313) {
    const source = conclusions.status?.entry ?? facts.finalStatus?.entry;
    if (source) findings.push(at(source, LogFindingCode.hiddenFailure, 'warning', l10n.t('The backup reads successful (code 1, file-system consistent), but {0} ({1}) happened during the run: the health code keeps it. Fix it to get application-consistent backups.', searchableName(conclusions.healthCode), conclusions.healthCode)));
  }
  if (conclusions.finalCode === 1 && conclusions.consistency === 'crash' && conclusions.freeze === 'notAttempted' && facts.finalStatus) {
    findings.push(at(facts.finalStatus.entry, LogFindingCode.nothingFrozen, 'warning', l10n.t('The agent reports file-system consistent, but nothing was frozen and no script ran: the recovery point is only crash consistent.')));
  }

  for (const status of facts.statusReports) {
    const { report } = status;
    if (report.code !== null && report.code > 1 && report.code !== 4 && report.outerStatus === 'success') {
      findings.push(at(status.entry, LogFindingCode.statusWordSuccess, 'information', l10n.t('The status says "success" at the top for every finished backup of an Azure VM; the code ({0}) is the result, and it is a failure.', report.code)));
    }
    if ((report.code === 0 || report.code === 1) && report.snapshotConsistency === 0) {
      findings.push(at(status.entry, LogFindingCode.consistencyFieldWrong, 'information', l10n.t('snapshotConsistency is 0 ("none") for every application- and file-system-consistent backup (a bug of the agent): read the code instead.')));
    }
  }
  const latest = conclusions.status;
  if (latest && latest.report.code === 4 && conclusions.finalCode === null) {
    findings.push(at(latest.entry, LogFindingCode.statusNotWritten, 'warning', l10n.t('The status still says "transitioning" (code 4): the run never finished, or its final status could not be written.')));
  }
  if (facts.statusWriteFailed && conclusions.finalCode !== 556) findings.push(at(facts.statusWriteFailed, LogFindingCode.statusNotWritten, 'warning', l10n.t('The agent could not write this run\'s final status: the status file keeps an older state.')));
  if (facts.shellNeverRan) findings.push(at(facts.shellNeverRan, LogFindingCode.handlerNeverRan, 'error', l10n.t('No Python interpreter was found: handle.py never ran, although the line says it returned 3. Install python3 on the VM.')));

  if (conclusions.finalCode === null && facts.run.startSeen && facts.lastEntry) {
    const last = facts.lastEntry;
    const where = /^proceeded for accepting signals/.test(last.message)
      ? l10n.t('The log stops when the file systems were about to be frozen: the VM or the agent hung during the freeze (the lines kept in memory were never written), or this excerpt ends here.')
      : /Binary output traces start/.test(last.message)
        ? l10n.t('The log stops while reading the freeze binary: a freeze stuck in the kernel blocks the agent here, or this excerpt ends here.')
        : l10n.t('The run has no final status in this text: it was cut off (a hang, a reboot) or the excerpt ends here.');
    findings.push(at(last, LogFindingCode.runCutOff, 'warning', where));
  }
  if (facts.run.interleaved && facts.entries[0]) {
    findings.push(at(facts.entries[0], LogFindingCode.interleaved, 'warning', l10n.t('Another run\'s lines are mixed with this run\'s: lines that could belong to either were left out, so some results are unknown.')));
  }

  const seen = new Set<string>();
  for (const entry of facts.entries) {
    if (entry.kind === 'blank') continue;
    const note = misleadingNote(entry.message);
    if (!note || seen.has(note.code) || findings.some((finding) => finding.code === note.code && finding.line === entry.line)) continue;
    seen.add(note.code);
    findings.push(at(entry, note.code, 'information', note.note));
  }
  return findings;
}
