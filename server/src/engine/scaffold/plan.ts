import { CONFIG_FILE_NAME, CONFIG_VM_PATH, HOST_CAP_DEFAULT_SECONDS } from '../codes';
import * as l10n from '@vscode/l10n';
import { AppTemplate, findApp, SettingKind, SettingSpec } from './apps';
import { composeScript, scriptFileName, settingsFor } from './compose';
import { composeInstallScript } from './installScript';
import { DEFAULT_TIMEOUT_SECONDS, requiredLockSeconds, scriptLimitSeconds } from './lockBound';
import { APP_IDS, ScaffoldError, ScaffoldFile, ScaffoldParams, ScaffoldPlan, ScriptSide } from './types';

export { DEFAULT_TIMEOUT_SECONDS };
export const DEFAULT_SCRIPT_DIR = '/etc/azure/vmsnapshot';

/** The same rules the scripts apply, checked here first so that mistakes show before deploying. */
const plainPath = /^\/[A-Za-z0-9_./-]*$/;
const plainName = /^[A-Za-z0-9_.@:][A-Za-z0-9_.@:-]*$/;

function validValue(kind: SettingKind, value: string): boolean {
  switch (kind) {
    case 'path':
      return plainPath.test(value) && !value.includes('..');
    case 'name':
      return plainName.test(value);
    case 'command':
      return value === '' || ((plainPath.test(value) || plainName.test(value)) && !value.includes('..'));
    case 'seconds':
      return /^[0-9]+$/.test(value) && Number(value) >= 1;
  }
}

function invalid(name: string, value: string): ScaffoldError {
  return new ScaffoldError(l10n.t('"{0}" is not a valid value for {1}: use an absolute path or a name made of letters, digits and . _ - @ : only.', value, name), 'invalidValue');
}

function resolveTimeout(params: ScaffoldParams): number {
  const timeout = params.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > HOST_CAP_DEFAULT_SECONDS) {
    throw new ScaffoldError(l10n.t('The timeout must be a whole number of seconds from 1 to {0}; got {1}.', HOST_CAP_DEFAULT_SECONDS, String(params.timeoutSeconds)), 'timeout');
  }
  return timeout;
}

function resolveScriptDir(params: ScaffoldParams): string {
  const dir = (params.scriptDir ?? DEFAULT_SCRIPT_DIR).replace(/(.)\/+$/, '$1');
  if (!validValue('path', dir)) throw invalid('--script-dir', dir);
  return dir;
}

function listValues(app: AppTemplate, params: ScaffoldParams): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const setting of app.settings) {
    if (!setting.listVariable) continue;
    const given = (setting.name === 'service' ? params.services : params.containers) ?? [];
    const values = given.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
    for (const value of values) if (!validValue(setting.kind, value)) throw invalid(setting.name, value);
    if (!values.length) {
      throw new ScaffoldError(
        app.id === 'systemd' ? l10n.t('Name at least one systemd unit to stop (--service).') : l10n.t('Name at least one container to pause (--container).'),
        'missingTargets',
      );
    }
    lists.set(setting.name, values);
  }
  return lists;
}

function explicitSettings(app: AppTemplate, params: ScaffoldParams, scriptDir: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(params.settings ?? {})) {
    const setting = app.settings.find((candidate) => candidate.name === name);
    if (!setting || setting.listVariable || setting.name === 'lock_seconds') {
      const known = app.settings.filter((candidate) => !candidate.listVariable && candidate.name !== 'lock_seconds').map((candidate) => candidate.name);
      throw new ScaffoldError(l10n.t('The {0} scripts have no setting "{1}". Known settings: {2}.', app.id, name, known.join(', ') || '-'), 'unknownSetting');
    }
    if (!validValue(setting.kind, value)) throw invalid(name, value);
    values.set(name, value);
  }
  // The options file lives beside the scripts unless the user put it elsewhere.
  if (app.options && !values.has(app.options.setting) && scriptDir !== DEFAULT_SCRIPT_DIR) {
    values.set(app.options.setting, `${scriptDir}/${app.options.fileName}`);
  }
  return values;
}

/** The quiesce's bound for a config with this timeout: see requiredLockSeconds. */
export function lockSecondsFor(timeout: number): number {
  return requiredLockSeconds(scriptLimitSeconds(timeout));
}

/**
 * What the config passes to one script: lock_seconds (so the quiesce's bound is visible in the
 * config), the units or containers, the options file and every setting the user changed.
 */
function paramsFor(app: AppTemplate, settings: SettingSpec[], timeout: number, lists: Map<string, string[]>, explicit: Map<string, string>): string[] {
  const params: string[] = [];
  for (const setting of settings) {
    if (setting.name === 'lock_seconds') params.push(`lock_seconds=${lockSecondsFor(timeout)}`);
    else if (setting.listVariable) params.push(...(lists.get(setting.name) ?? []).map((value) => `${setting.name}=${value}`));
    else if (explicit.has(setting.name)) params.push(`${setting.name}=${explicit.get(setting.name)}`);
    // Where the credentials are is worth seeing in the config even when it is the default.
    else if (setting.name === app.options?.setting) params.push(`${setting.name}=${setting.defaultValue}`);
  }
  return params;
}

function composeConfig(app: AppTemplate, scriptDir: string, preParams: string[], postParams: string[], timeout: number): string {
  const config = {
    pluginName: 'ScriptRunner',
    preScriptLocation: `${scriptDir}/${scriptFileName(app, 'pre')}`,
    preScriptParams: preParams,
    postScriptLocation: `${scriptDir}/${scriptFileName(app, 'post')}`,
    postScriptParams: postParams,
    timeoutInSeconds: timeout,
    continueBackupOnFailure: true,
    fsFreezeEnabled: true,
  };
  return JSON.stringify(config, null, 2) + '\n';
}

export function isAppId(value: string): value is (typeof APP_IDS)[number] {
  return (APP_IDS as readonly string[]).includes(value);
}

/**
 * Plans the files of a scaffold without touching the disk: the config, the two scripts,
 * install.sh and, for databases, a sample options file. Throws a ScaffoldError (localized) on
 * choices that cannot work.
 */
export function planScaffold(appId: string, params: ScaffoldParams = {}): ScaffoldPlan {
  const app = findApp(appId);
  if (!app) throw new ScaffoldError(l10n.t('Unknown application "{0}". Choose one of: {1}.', appId, APP_IDS.join(', ')), 'unknownApp');
  const timeout = resolveTimeout(params);
  const scriptDir = resolveScriptDir(params);
  const lists = listValues(app, params);
  const explicit = explicitSettings(app, params, scriptDir);
  const sides: ScriptSide[] = ['pre', 'post'];
  const [preParams, postParams] = sides.map((side) => paramsFor(app, settingsFor(app, side), timeout, lists, explicit));

  const files: ScaffoldFile[] = [
    { name: CONFIG_FILE_NAME, role: 'config', mode: 0o600, vmPath: CONFIG_VM_PATH, content: composeConfig(app, scriptDir, preParams, postParams, timeout) },
    ...sides.map((side): ScaffoldFile => ({
      name: scriptFileName(app, side),
      role: side,
      mode: 0o700,
      vmPath: `${scriptDir}/${scriptFileName(app, side)}`,
      content: composeScript(app, side),
    })),
  ];
  if (app.options) {
    const setting = app.settings.find((candidate) => candidate.name === app.options?.setting);
    files.push({
      name: app.options.fileName,
      role: 'options',
      mode: 0o600,
      vmPath: explicit.get(app.options.setting) ?? setting?.defaultValue ?? `${scriptDir}/${app.options.fileName}`,
      content: app.options.content,
      keepExisting: true,
    });
  }
  files.push({ name: 'install.sh', role: 'install', mode: 0o700, content: composeInstallScript(app.id, files) });
  return { app: app.id, files, preParams, postParams, timeoutSeconds: timeout };
}
