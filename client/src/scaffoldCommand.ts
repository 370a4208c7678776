import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as engineL10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { AppTemplate, installScaffold, listApps, planScaffold, ScaffoldError, ScaffoldParams, ScaffoldPlan, writeScaffold } from '../../server/src/engine/scaffold';
import { settingsQuestions, wizardStepCount } from './scaffoldSteps';

const MAX_TIMEOUT_SECONDS = 1800;
const CONFIG_DIR_ON_VM = '/etc/azure';

type Target = { kind: 'folder'; dir: string } | { kind: 'machine' };

interface AppPick extends vscode.QuickPickItem {
  app: AppTemplate;
}

interface TargetPick extends vscode.QuickPickItem {
  target: Target | 'browse';
}

/** Where a prompt sits in the wizard; VS Code shows it after the title as "(2/4)". */
interface Step {
  step: number;
  totalSteps: number;
}

/** The engine's messages use @vscode/l10n; the extension's loaded bundle serves them too. */
function shareTranslations(): void {
  if (vscode.l10n.bundle) engineL10n.config({ contents: vscode.l10n.bundle });
}

function splitNames(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function validateNames(text: string): string | undefined {
  const names = splitNames(text);
  if (!names.length) return vscode.l10n.t('Name at least one.');
  const bad = names.find((name) => !/^[A-Za-z0-9_.@:][A-Za-z0-9_.@:-]*$/.test(name));
  return bad ? vscode.l10n.t('"{0}" is not a plain name (letters, digits and . _ - @ : only).', bad) : undefined;
}

/**
 * Several applications can share the VM (the agent runs one pre- and one post-script), so the
 * list has checkboxes; Enter without any checked takes the highlighted one, the quick way for one
 * application. The order checked is the order the pre-script quiesces them in. The step counter
 * follows what Enter would take, since that decides how many questions come next.
 */
async function askApps(): Promise<AppTemplate[] | undefined> {
  const pick = vscode.window.createQuickPick<AppPick>();
  pick.items = listApps().map((app) => ({ label: app.label(), description: app.id, detail: app.detail(), app }));
  pick.canSelectMany = true;
  pick.title = vscode.l10n.t('Scaffold pre/post scripts: application');
  pick.step = 1;
  pick.placeholder = vscode.l10n.t('Which applications should the snapshot quiesce? Check several for one VM that runs them all.');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  const order: AppTemplate[] = [];
  const wouldTake = (): AppTemplate[] => {
    if (order.length) return [...order];
    // A checkbox list may have no active item while filtering: then the first item the filter shows.
    const filter = pick.value.trim().toLowerCase();
    const shown = pick.items.filter((item) => `${item.label} ${item.description ?? ''} ${item.detail ?? ''}`.toLowerCase().includes(filter));
    const highlighted = pick.activeItems.length ? pick.activeItems : shown;
    return highlighted.slice(0, 1).map((item) => item.app);
  };
  const recount = () => {
    const apps = wouldTake();
    if (apps.length) pick.totalSteps = wizardStepCount(apps);
  };
  recount();
  pick.onDidChangeSelection((selected) => {
    const now = selected.map((item) => item.app);
    for (const app of now) if (!order.includes(app)) order.push(app);
    for (const app of [...order]) if (!now.includes(app)) order.splice(order.indexOf(app), 1);
    recount();
  });
  pick.onDidChangeActive(recount);
  pick.onDidChangeValue(recount);
  try {
    return await new Promise<AppTemplate[] | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const chosen = wouldTake();
        resolve(chosen.length ? chosen : undefined);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

interface InputStep extends Step {
  title: string;
  prompt: string;
  value?: string;
  placeholder?: string;
  validate(text: string): string | undefined;
}

/** One input box of the wizard (showInputBox cannot show a step counter); undefined on Escape. */
async function askInput(options: InputStep): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  Object.assign(box, { title: options.title, step: options.step, totalSteps: options.totalSteps, prompt: options.prompt, placeholder: options.placeholder, ignoreFocusOut: true });
  if (options.value !== undefined) box.value = options.value;
  try {
    return await new Promise<string | undefined>((resolve) => {
      box.onDidChangeValue((text) => { box.validationMessage = options.validate(text); });
      box.onDidAccept(() => {
        const problem = options.validate(box.value);
        box.validationMessage = problem;
        if (problem !== undefined) return;
        resolve(box.value);
        box.hide();
      });
      box.onDidHide(() => resolve(undefined));
      box.show();
    });
  } finally {
    box.dispose();
  }
}

/** Asks only what the applications need, one numbered step each; Escape at any point cancels the whole command. */
async function askParams(apps: readonly AppTemplate[], totalSteps: number): Promise<ScaffoldParams | undefined> {
  const title = vscode.l10n.t('Scaffold pre/post scripts: settings');
  const params: ScaffoldParams = { settings: {} };
  let step = 1;
  for (const question of settingsQuestions(apps)) {
    step++;
    if (question.kind === 'names') {
      const systemd = question.app.id === 'systemd';
      const answer = await askInput({
        title, step, totalSteps,
        prompt: systemd ? vscode.l10n.t('systemd units to stop before the snapshot (separated by commas)') : vscode.l10n.t('Docker containers to pause before the snapshot (separated by commas)'),
        placeholder: systemd ? 'nginx.service, php8.2-fpm.service' : 'web, worker',
        validate: validateNames,
      });
      if (answer === undefined) return undefined;
      if (systemd) params.services = splitNames(answer);
      else params.containers = splitNames(answer);
    } else if (question.kind === 'credentials') {
      const { setting } = question;
      const answer = await askInput({
        title, step, totalSteps,
        prompt: vscode.l10n.t('Root-only credentials file on the VM for {0} (never put passwords on a command line)', question.app.label()),
        value: setting.defaultValue,
        validate: (text) => (/^\/[A-Za-z0-9_./-]*$/.test(text) && !text.includes('..') ? undefined : vscode.l10n.t('Use an absolute path of letters, digits and . _ - / only.')),
      });
      if (answer === undefined) return undefined;
      if (answer !== setting.defaultValue && params.settings) params.settings[setting.name] = answer;
    } else {
      const timeout = await askInput({
        title, step, totalSteps,
        prompt: apps.some((app) => app.settings.some((setting) => setting.name === 'lock_seconds'))
          ? vscode.l10n.t('Time limit in seconds (the agent\'s timeoutInSeconds); a quiesce is bounded by the pre- and post-script limits plus 60 s if the post-script never comes')
          : vscode.l10n.t('Time limit in seconds (the agent\'s timeoutInSeconds)'),
        value: '60',
        validate: (text) => {
          const seconds = Number(text);
          return /^[0-9]+$/.test(text) && seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS ? undefined : vscode.l10n.t('A whole number of seconds from 1 to {0}.', MAX_TIMEOUT_SECONDS);
        },
      });
      if (timeout === undefined) return undefined;
      params.timeoutSeconds = Number(timeout);
    }
  }
  return params;
}

/** One quick pick of the wizard with its step counter; undefined on Escape. */
async function pickOne<T extends vscode.QuickPickItem>(items: T[], title: string, where: Step): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  Object.assign(pick, { items, title, step: where.step, totalSteps: where.totalSteps, ignoreFocusOut: true });
  try {
    return await new Promise<T | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.activeItems[0]);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

async function askTarget(name: string, where: Step): Promise<Target | undefined> {
  const items: TargetPick[] = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
    const dir = path.join(folder.uri.fsPath, `vmsnapshot-${name}`);
    return {
      label: `$(folder) ${path.join(folder.name, `vmsnapshot-${name}`)}`,
      description: fs.existsSync(dir) ? vscode.l10n.t('existing folder in the workspace (asks before replacing a file)') : vscode.l10n.t('new folder in the workspace'),
      target: { kind: 'folder', dir },
    };
  });
  items.push({ label: `$(folder-opened) ${vscode.l10n.t('Choose a folder…')}`, target: 'browse' });
  // On the VM itself (Remote-SSH runs this extension there) the files can go straight into place.
  if (process.platform === 'linux') {
    items.push({
      label: `$(server) ${vscode.l10n.t('Install on this machine ({0})', CONFIG_DIR_ON_VM)}`,
      description: vscode.env.remoteName ? vscode.l10n.t('remote: {0}', vscode.env.remoteName) : undefined,
      detail: vscode.l10n.t('Writes the config and scripts where the agent reads them, owned by root (needs root, or sudo in a terminal).'),
      target: { kind: 'machine' },
    });
  }
  const pick = await pickOne(items, vscode.l10n.t('Scaffold pre/post scripts: where'), where);
  if (!pick) return undefined;
  if (pick.target !== 'browse') return pick.target;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Scaffold here') });
  return chosen?.[0] ? { kind: 'folder', dir: chosen[0].fsPath } : undefined;
}

async function confirmOverwrite(dir: string, existing: string[]): Promise<boolean> {
  const overwrite = vscode.l10n.t('Overwrite');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} file(s) exist already in {1}. Overwrite them?', existing.length, dir),
    { modal: true, detail: existing.join('\n') },
    overwrite,
  );
  return answer === overwrite;
}

async function openFiles(paths: string[]): Promise<void> {
  for (const file of paths) {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, preserveFocus: true });
  }
}

function shown(plan: ScaffoldPlan, dir: string): string[] {
  return plan.files.filter((file) => file.role === 'config' || file.role === 'pre' || file.role === 'post').map((file) => path.join(dir, file.name));
}

function shellQuoted(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The end of the wizard: which files were written and what to do next, which is running
 * install.sh as root on the VM. On the VM itself (Remote-SSH) it can run in a terminal here;
 * elsewhere the folder is copied to the VM first.
 */
async function announceScaffold(plan: ScaffoldPlan, dir: string): Promise<void> {
  const installScript = path.join(dir, 'install.sh');
  const names = plan.files.map((file) => file.name).join(', ');
  const onTheVm = vscode.env.remoteName === 'ssh-remote' && process.platform === 'linux';
  const command = onTheVm ? `sudo sh ${shellQuoted(installScript)}` : `sudo sh ${shellQuoted(path.basename(dir))}/install.sh`;
  const open = vscode.l10n.t('Open install.sh');
  const run = vscode.l10n.t('Run install.sh in a terminal');
  const message = onTheVm
    ? vscode.l10n.t('Wrote {0} in {1}. To put them in place, run as root: {2}', names, dir, command)
    : vscode.l10n.t('Wrote {0} in {1}. Copy the folder to the VM and run as root there: {2}', names, dir, command);
  const answer = await vscode.window.showInformationMessage(message, ...(onTheVm ? [open, run] : [open]));
  if (answer === open) {
    await vscode.window.showTextDocument(vscode.Uri.file(installScript), { preview: false });
  } else if (answer === run) {
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('VM Snapshot install') });
    terminal.show();
    terminal.sendText(command);
  }
}

async function writeToFolder(plan: ScaffoldPlan, dir: string, announce = true): Promise<boolean> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Writing the {0} scaffold…', plan.app) },
    () => writeScaffold(plan, dir, { confirmOverwrite: (existing) => confirmOverwrite(dir, existing) }),
  );
  if (result.cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing was written.'));
    return false;
  }
  await openFiles(shown(plan, dir));
  // Not awaited: the command is done, the notification stays until the user acts on it.
  if (announce) void announceScaffold(plan, dir);
  return true;
}

async function installOnMachine(plan: ScaffoldPlan): Promise<void> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    const install = vscode.l10n.t('Install');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Install the {0} scripts and config into {1} on this machine?', plan.app, CONFIG_DIR_ON_VM),
      { modal: true, detail: vscode.l10n.t('A different file already there is kept as a .bak copy; an existing credentials file is left as it is.') },
      install,
    );
    if (answer !== install) return;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Installing the {0} scaffold…', plan.app) },
      async () => installScaffold(plan, '/'),
    );
    await openFiles(result.installed.filter((file) => !plan.files.some((planned) => planned.role === 'options' && planned.vmPath === file)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Installed {0} files; kept {1}.', result.installed.length, result.kept.length));
    return;
  }
  // Not root: stage the files in the home folder and let sudo run install.sh in a terminal,
  // where the user types the password (never through the extension).
  const staging = path.join(os.homedir(), `vmsnapshot-${plan.app}`);
  if (!(await writeToFolder(plan, staging, false))) return;
  const run = vscode.l10n.t('Run install.sh with sudo');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Writing into {0} needs root. The files are in {1}; install them with sudo?', CONFIG_DIR_ON_VM, staging),
    run,
  );
  if (answer !== run) return;
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('VM Snapshot install') });
  terminal.show();
  terminal.sendText(`sudo sh '${path.join(staging, 'install.sh').replace(/'/g, `'\\''`)}'`);
}

async function runScaffoldWizard(): Promise<void> {
  shareTranslations();
  const apps = await askApps();
  if (!apps) return;
  const totalSteps = wizardStepCount(apps);
  const params = await askParams(apps, totalSteps);
  if (!params) return;
  const plan = planScaffold(apps.map((app) => app.id), params); // before asking where, so that bad choices show first
  const target = await askTarget(plan.app, { step: totalSteps, totalSteps });
  if (!target) return;
  if (target.kind === 'machine') await installOnMachine(plan);
  else await writeToFolder(plan, target.dir);
}

export function registerScaffoldCommand(_context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('vmsnapshot.scaffold', async () => {
    try {
      await runScaffoldWizard();
    } catch (error) {
      const message = error instanceof ScaffoldError || error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Scaffolding failed: {0}', message));
    }
  });
}
