import * as l10n from '@vscode/l10n';

/** Said on every failure the portal never shows, because that is why the editor must. */
export function silentFailureNote(): string {
  return l10n.t('The portal shows no error: the backup reports success, file-system consistent only.');
}
