import type { AppTemplate, SettingSpec } from '../../server/src/engine/scaffold';

/**
 * The questions the scaffold wizard asks between "which applications" and "where", in order.
 * The wizard asks exactly these and numbers its steps from the same list, so the counter cannot
 * drift from the prompts again (it once showed "2/3" for three different questions).
 */
export type SettingsQuestion =
  | { kind: 'names'; app: AppTemplate }
  | { kind: 'credentials'; app: AppTemplate; setting: SettingSpec }
  | { kind: 'timeout' };

/** systemd units and Docker containers have no sensible default: the user names them. */
function needsNames(app: AppTemplate): boolean {
  return app.id === 'systemd' || app.id === 'docker';
}

/** The root-only credentials file a database template reads, if it has one. */
function credentialsSetting(app: AppTemplate): SettingSpec | undefined {
  return app.options && app.settings.find((setting) => setting.name === app.options?.setting);
}

export function settingsQuestions(apps: readonly AppTemplate[]): SettingsQuestion[] {
  const questions: SettingsQuestion[] = apps.filter(needsNames).map((app) => ({ kind: 'names', app }));
  for (const app of apps) {
    const setting = credentialsSetting(app);
    if (setting) questions.push({ kind: 'credentials', app, setting });
  }
  questions.push({ kind: 'timeout' });
  return questions;
}

/** Every step of the wizard for these applications: the applications, their settings, where. */
export function wizardStepCount(apps: readonly AppTemplate[]): number {
  return 1 + settingsQuestions(apps).length + 1;
}
