/** SudoInRootScript: the agent already runs the script as root, without a terminal. */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import type { ScriptFacts } from './facts';
import type { BehaviourFinding } from './types';

export function checkSudo(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const fact of facts.commands) {
    const [sudo, next, user, after] = fact.command.words;
    if (sudo?.value !== 'sudo' && sudo?.value !== '/usr/bin/sudo') continue;
    const data: BehaviourFinding['data'] = { rule: 'sudo' };
    if (next?.value !== undefined && !next.value.startsWith('-')) {
      // `sudo cmd` as root is `cmd`.
      data.edits = [{ start: sudo.start, end: next.start, text: '' }];
      data.fixTitle = l10n.t('Remove sudo');
    } else if (next?.value === '-u' && user?.value !== undefined && after?.value !== undefined && !after.value.startsWith('-')) {
      // root switching user needs no sudo: runuser does it without a terminal or a sudoers rule.
      data.edits = [{ start: sudo.start, end: after.start, text: `runuser -u ${user.raw} -- ` }];
      data.fixTitle = l10n.t('Use runuser instead of sudo');
    }
    found.push({
      code: ScriptCode.sudoInRootScript,
      severity: 'information',
      message: l10n.t('The agent runs this script as root already, without a terminal: sudo adds nothing, and fails where sudoers has `requiretty`. Run the command directly (or with `runuser -u user --` to switch user).'),
      start: sudo.start,
      end: sudo.end,
      data,
    });
  }
  return found;
}
