import { t } from '../l10n';

/** Said on every failure the portal never shows, because that is why the editor must. */
export function silentFailureNote(): string {
  return t('The portal shows no error: the backup reports success, file-system consistent only.');
}
