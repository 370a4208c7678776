"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SCRIPT_DIR = exports.DEFAULT_TIMEOUT_SECONDS = void 0;
exports.isAppId = isAppId;
exports.planScaffold = planScaffold;
const codes_1 = require("../codes");
const l10n = __importStar(require("@vscode/l10n"));
const apps_1 = require("./apps");
const compose_1 = require("./compose");
const installScript_1 = require("./installScript");
const types_1 = require("./types");
exports.DEFAULT_TIMEOUT_SECONDS = 60;
exports.DEFAULT_SCRIPT_DIR = '/etc/azure/vmsnapshot';
/** The same rules the scripts apply, checked here first so that mistakes show before deploying. */
const plainPath = /^\/[A-Za-z0-9_./-]*$/;
const plainName = /^[A-Za-z0-9_.@:][A-Za-z0-9_.@:-]*$/;
function validValue(kind, value) {
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
function invalid(name, value) {
    return new types_1.ScaffoldError(l10n.t('"{0}" is not a valid value for {1}: use an absolute path or a name made of letters, digits and . _ - @ : only.', value, name), 'invalidValue');
}
function resolveTimeout(params) {
    const timeout = params.timeoutSeconds ?? exports.DEFAULT_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > codes_1.HOST_CAP_DEFAULT_SECONDS) {
        throw new types_1.ScaffoldError(l10n.t('The timeout must be a whole number of seconds from 1 to {0}; got {1}.', codes_1.HOST_CAP_DEFAULT_SECONDS, String(params.timeoutSeconds)), 'timeout');
    }
    return timeout;
}
function resolveScriptDir(params) {
    const dir = (params.scriptDir ?? exports.DEFAULT_SCRIPT_DIR).replace(/(.)\/+$/, '$1');
    if (!validValue('path', dir))
        throw invalid('--script-dir', dir);
    return dir;
}
function listValues(app, params) {
    const lists = new Map();
    for (const setting of app.settings) {
        if (!setting.listVariable)
            continue;
        const given = (setting.name === 'service' ? params.services : params.containers) ?? [];
        const values = given.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
        for (const value of values)
            if (!validValue(setting.kind, value))
                throw invalid(setting.name, value);
        if (!values.length) {
            throw new types_1.ScaffoldError(app.id === 'systemd' ? l10n.t('Name at least one systemd unit to stop (--service).') : l10n.t('Name at least one container to pause (--container).'), 'missingTargets');
        }
        lists.set(setting.name, values);
    }
    return lists;
}
function explicitSettings(app, params, scriptDir) {
    const values = new Map();
    for (const [name, value] of Object.entries(params.settings ?? {})) {
        const setting = app.settings.find((candidate) => candidate.name === name);
        if (!setting || setting.listVariable || setting.name === 'lock_seconds') {
            const known = app.settings.filter((candidate) => !candidate.listVariable && candidate.name !== 'lock_seconds').map((candidate) => candidate.name);
            throw new types_1.ScaffoldError(l10n.t('The {0} scripts have no setting "{1}". Known settings: {2}.', app.id, name, known.join(', ') || '-'), 'unknownSetting');
        }
        if (!validValue(setting.kind, value))
            throw invalid(name, value);
        values.set(name, value);
    }
    // The options file lives beside the scripts unless the user put it elsewhere.
    if (app.options && !values.has(app.options.setting) && scriptDir !== exports.DEFAULT_SCRIPT_DIR) {
        values.set(app.options.setting, `${scriptDir}/${app.options.fileName}`);
    }
    return values;
}
/**
 * What the config passes to one script: lock_seconds (so the lock's bound is visible next to
 * timeoutInSeconds), the units or containers, the options file and every setting the user
 * changed.
 */
function paramsFor(app, settings, timeout, lists, explicit) {
    const params = [];
    for (const setting of settings) {
        if (setting.name === 'lock_seconds')
            params.push(`lock_seconds=${timeout}`);
        else if (setting.listVariable)
            params.push(...(lists.get(setting.name) ?? []).map((value) => `${setting.name}=${value}`));
        else if (explicit.has(setting.name))
            params.push(`${setting.name}=${explicit.get(setting.name)}`);
        // Where the credentials are is worth seeing in the config even when it is the default.
        else if (setting.name === app.options?.setting)
            params.push(`${setting.name}=${setting.defaultValue}`);
    }
    return params;
}
function composeConfig(app, scriptDir, preParams, postParams, timeout) {
    const config = {
        pluginName: 'ScriptRunner',
        preScriptLocation: `${scriptDir}/${(0, compose_1.scriptFileName)(app, 'pre')}`,
        preScriptParams: preParams,
        postScriptLocation: `${scriptDir}/${(0, compose_1.scriptFileName)(app, 'post')}`,
        postScriptParams: postParams,
        timeoutInSeconds: timeout,
        continueBackupOnFailure: true,
        fsFreezeEnabled: true,
    };
    return JSON.stringify(config, null, 2) + '\n';
}
function isAppId(value) {
    return types_1.APP_IDS.includes(value);
}
/**
 * Plans the files of a scaffold without touching the disk: the config, the two scripts,
 * install.sh and, for databases, a sample options file. Throws a ScaffoldError (localized) on
 * choices that cannot work.
 */
function planScaffold(appId, params = {}) {
    const app = (0, apps_1.findApp)(appId);
    if (!app)
        throw new types_1.ScaffoldError(l10n.t('Unknown application "{0}". Choose one of: {1}.', appId, types_1.APP_IDS.join(', ')), 'unknownApp');
    const timeout = resolveTimeout(params);
    const scriptDir = resolveScriptDir(params);
    const lists = listValues(app, params);
    const explicit = explicitSettings(app, params, scriptDir);
    const sides = ['pre', 'post'];
    const [preParams, postParams] = sides.map((side) => paramsFor(app, (0, compose_1.settingsFor)(app, side), timeout, lists, explicit));
    const files = [
        { name: codes_1.CONFIG_FILE_NAME, role: 'config', mode: 0o600, vmPath: codes_1.CONFIG_VM_PATH, content: composeConfig(app, scriptDir, preParams, postParams, timeout) },
        ...sides.map((side) => ({
            name: (0, compose_1.scriptFileName)(app, side),
            role: side,
            mode: 0o700,
            vmPath: `${scriptDir}/${(0, compose_1.scriptFileName)(app, side)}`,
            content: (0, compose_1.composeScript)(app, side),
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
    files.push({ name: 'install.sh', role: 'install', mode: 0o700, content: (0, installScript_1.composeInstallScript)(app.id, files) });
    return { app: app.id, files, preParams, postParams, timeoutSeconds: timeout };
}
//# sourceMappingURL=plan.js.map