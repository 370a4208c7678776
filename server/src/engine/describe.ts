/**
 * The predicted run in words, one wording for every front end: the CLI's text output, the code
 * lens and the language status item say the same thing.
 */
import * as l10n from '@vscode/l10n';
import type { BackupFlow } from './model/backupFlow';
import type { AgentOutcome } from './outcome';

/** The agent's result in one line. */
export function describeOutcome(outcome: AgentOutcome): string {
  const name = outcome.docName ?? outcome.name;
  if (outcome.code === 0) return l10n.t('Azure agent: success ({0})', outcome.name);
  return outcome.silent ? l10n.t('Azure agent: {0} {1}, not shown in the portal', outcome.code, name) : l10n.t('Azure agent: {0} {1}', outcome.code, name);
}

function consistencyWords(flow: BackupFlow): string {
  switch (flow.consistency) {
    case 'application':
      return l10n.t('reported application-consistent');
    case 'file-system':
      return l10n.t('reported file-system consistent');
    case 'crash':
      return l10n.t('reported crash-consistent');
    case 'none':
      return l10n.t('the backup fails');
  }
}

/** Snapshot, freeze and the consistency the portal shows, assuming the scripts exit 0 in time. */
export function describeBackupFlow(flow: BackupFlow): string {
  const snapshot = flow.snapshot ? (flow.frozen ? l10n.t('snapshot with the file systems frozen') : l10n.t('snapshot without a freeze')) : l10n.t('no snapshot');
  const failed = flow.backupFails && flow.consistency !== 'none' ? `, ${l10n.t('the backup fails')}` : '';
  return `${snapshot}, ${consistencyWords(flow)}${failed}`;
}
