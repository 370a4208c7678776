import * as l10n from '@vscode/l10n';
import { l10nContents } from './assets';

export type Locale = string;

let currentLocale = 'en';

/**
 * Selects the language of every message the engine produces. Bundles follow VS Code's
 * convention (`l10n/bundle.l10n.<locale>.json`, keyed by the English text), so the client,
 * the server and the CLI share one set of translations. Unknown locales fall back to the
 * language alone (`pt-PT` → `pt`) and then to English.
 */
export function setLocale(locale: string | undefined): void {
  const wanted = (locale ?? 'en').toLowerCase();
  const candidates = [wanted, wanted.split('-')[0]];
  if (wanted.startsWith('pt')) candidates.push('pt-br');
  for (const candidate of candidates) {
    const contents = candidate === 'en' ? undefined : l10nContents(candidate);
    if (contents) {
      l10n.config({ contents });
      currentLocale = candidate;
      return;
    }
  }
  l10n.config({ contents: {} });
  currentLocale = 'en';
}

export function getLocale(): string {
  return currentLocale;
}
