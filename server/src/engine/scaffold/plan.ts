import { CONFIG_FILE_NAME, CONFIG_VM_PATH, HOST_CAP_DEFAULT_SECONDS } from '../codes';
import * as l10n from '@vscode/l10n';
import { AppTemplate, findApp, SettingKind, SettingSpec } from './apps';
import { composeMultiScript, composeScript, multiSettings, scriptFileName, settingsFor } from './compose';
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
function paramsFor(app: AppTemplate, settings: SettingSpec[], bound: number, lists: Map<string, string[]>, explicit: Map<string, string>): string[] {
  const params: string[] = [];
  for (const setting of settings) {
    if (setting.name === 'lock_seconds') params.push(`lock_seconds=${bound}`);
    else if (setting.listVariable) params.push(...(lists.get(setting.name) ?? []).map((value) => `${setting.name}=${value}`));
    else if (explicit.has(setting.name)) params.push(`${setting.name}=${explicit.get(setting.name)}`);
    // Where the credentials are is worth seeing in the config even when it is the default.
    else if (setting.name === app.options?.setting) params.push(`${setting.name}=${setting.defaultValue}`);
  }
  return params;
}

function composeConfig(scriptDir: string, fileNames: Record<ScriptSide, string>, preParams: string[], postParams: string[], timeout: number): string {
  const config = {
    pluginName: 'ScriptRunner',
    preScriptLocation: `${scriptDir}/${fileNames.pre}`,
    preScriptParams: preParams,
    postScriptLocation: `${scriptDir}/${fileNames.post}`,
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

function resolveApps(appIds: string | readonly string[]): AppTemplate[] {
  const ids = typeof appIds === 'string' ? [appIds] : [...appIds];
  if (!ids.length) throw new ScaffoldError(l10n.t('Choose at least one application: {0}.', APP_IDS.join(', ')), 'unknownApp');
  const apps: AppTemplate[] = [];
  for (const id of ids) {
    const app = findApp(id);
    if (!app) throw new ScaffoldError(l10n.t('Unknown application "{0}". Choose one of: {1}.', id, APP_IDS.join(', ')), 'unknownApp');
    if (apps.includes(app)) throw new ScaffoldError(l10n.t('"{0}" is chosen twice: each application is quiesced once.', id), 'duplicateApp');
    apps.push(app);
  }
  if (apps.length > 1 && apps.some((app) => app.id === 'generic')) {
    throw new ScaffoldError(l10n.t('"generic" quiesces nothing by itself and cannot be combined with other applications.'), 'duplicateApp');
  }
  return apps;
}

/** Explicit settings for several apps: a name applies to every app that has it; one that none has is refused. */
function explicitSettingsOfMany(apps: readonly AppTemplate[], params: ScaffoldParams, scriptDir: string): Map<AppTemplate, Map<string, string>> {
  const result = new Map<AppTemplate, Map<string, string>>();
  for (const name of Object.keys(params.settings ?? {})) {
    if (!apps.some((app) => app.settings.some((setting) => setting.name === name && !setting.listVariable && setting.name !== 'lock_seconds'))) {
      explicitSettings(apps[0], { settings: { [name]: params.settings?.[name] ?? '' } }, scriptDir); // throws the usual message
    }
  }
  for (const app of apps) {
    const own = Object.fromEntries(Object.entries(params.settings ?? {}).filter(([name]) => app.settings.some((setting) => setting.name === name)));
    result.set(app, explicitSettings(app, { ...params, settings: own }, scriptDir));
  }
  return result;
}

function multiParams(apps: readonly AppTemplate[], side: ScriptSide, bound: number, lists: Map<AppTemplate, Map<string, string[]>>, explicit: Map<AppTemplate, Map<string, string>>): string[] {
  const params: string[] = [];
  for (const entry of multiSettings(apps, side)) {
    const { app, setting, name } = entry;
    const given = explicit.get(app)?.get(setting.name);
    if (setting.name === 'lock_seconds') params.push(`lock_seconds=${bound}`);
    else if (setting.listVariable) params.push(...(lists.get(app)?.get(setting.name) ?? []).map((value) => `${name}=${value}`));
    else if (given !== undefined) params.push(`${name}=${given}`);
    else if (setting.name === app.options?.setting) params.push(`${name}=${setting.defaultValue}`);
  }
  return params;
}

function optionsFile(app: AppTemplate, explicit: Map<string, string>, scriptDir: string): ScaffoldFile | undefined {
  if (!app.options) return undefined;
  const setting = app.settings.find((candidate) => candidate.name === app.options?.setting);
  return {
    name: app.options.fileName,
    role: 'options',
    mode: 0o600,
    vmPath: explicit.get(app.options.setting) ?? setting?.defaultValue ?? `${scriptDir}/${app.options.fileName}`,
    content: app.options.content,
    keepExisting: true,
  };
}

/**
 * Plans the files of a scaffold without touching the disk: the config, the two scripts,
 * install.sh and, for databases, a sample options file. Several applications share one pre- and
 * one post-script (the agent runs one of each). Throws a ScaffoldError (localized) on choices
 * that cannot work.
 */
export function planScaffold(appIds: string | readonly string[], params: ScaffoldParams = {}): ScaffoldPlan {
  const apps = resolveApps(appIds);
  const timeout = resolveTimeout(params);
  const scriptDir = resolveScriptDir(params);
  const sides: ScriptSide[] = ['pre', 'post'];
  const lists = new Map(apps.map((app) => [app, listValues(app, params)]));
  const single = apps.length === 1 ? apps[0] : undefined;
  const explicit = single ? new Map([[single, explicitSettings(single, params, scriptDir)]]) : explicitSettingsOfMany(apps, params, scriptDir);
  const fileNames: Record<ScriptSide, string> = single
    ? { pre: scriptFileName(single, 'pre'), post: scriptFileName(single, 'post') }
    : { pre: 'vmsnapshot-pre.sh', post: 'vmsnapshot-post.sh' };
  const bound = params.lockSeconds ?? lockSecondsFor(timeout);
  if (!Number.isInteger(bound) || bound < 1) throw new ScaffoldError(l10n.t('lock_seconds must be a whole number of seconds, at least 1; got {0}.', String(params.lockSeconds)), 'timeout');
  const [preParams, postParams] = sides.map((side) =>
    single ? paramsFor(single, settingsFor(single, side), bound, lists.get(single) ?? new Map(), explicit.get(single) ?? new Map()) : multiParams(apps, side, bound, lists, explicit),
  );

  const files: ScaffoldFile[] = [
    { name: CONFIG_FILE_NAME, role: 'config', mode: 0o600, vmPath: CONFIG_VM_PATH, content: composeConfig(scriptDir, fileNames, preParams, postParams, timeout) },
    ...sides.map((side): ScaffoldFile => ({
      name: fileNames[side],
      role: side,
      mode: 0o700,
      vmPath: `${scriptDir}/${fileNames[side]}`,
      content: single ? composeScript(single, side) : composeMultiScript(apps, side),
    })),
  ];
  for (const app of apps) {
    const options = optionsFile(app, explicit.get(app) ?? new Map(), scriptDir);
    if (options) files.push(options);
  }
  const name = apps.map((app) => app.id).join('+');
  files.push({ name: 'install.sh', role: 'install', mode: 0o700, content: composeInstallScript(name, files) });
  return { app: name, apps: apps.map((app) => app.id), files, preParams, postParams, timeoutSeconds: timeout };
}
