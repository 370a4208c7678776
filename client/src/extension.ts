import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerRehearseCommand } from './rehearseCommand';
import { registerScaffoldCommand } from './scaffoldCommand';
import { OutcomeStatus } from './outcomeStatus';
import { registerLineEndingCommand } from './lineEndings';
import { PredictionView } from './predictionView';
import { registerLogCommands } from './logCommands';
import { VmOwnConfigContext } from './vmOwnConfig';
import { OutcomeNotification, TrustNotification } from '../../server/src/protocol';

let client: LanguageClient | undefined;

const DOCUMENT_SELECTOR = [
  { language: 'vmsnapshot-config' },
  { scheme: 'file', pattern: '**/VMSnapshotScriptPluginConfig.json' },
  { language: 'shellscript', scheme: 'file' },
  { language: 'vmsnapshot-workload' },
  { language: 'vmsnapshot-pluginhost' },
  { language: 'vmsnapshot-vmbackup' },
  { language: 'vmsnapshot-log' },
];

/**
 * What the extension exports: the predicted result per document and where the status item shows,
 * for other extensions and for the end-to-end tests, which cannot read the status bar otherwise.
 */
export interface VmSnapshotApi {
  outcomeStatusSelector(): vscode.DocumentSelector;
  outcomeText(uri: vscode.Uri): string | undefined;
  /** Whether the active editor is the VM's own config (what the Rehearse command's menus show by), once known. */
  configIsVmOwn(): Promise<boolean>;
}

export async function activate(context: vscode.ExtensionContext): Promise<VmSnapshotApi> {
  // The server is the same bundle as the CLI (`vmsnapshot lsp`), so editors outside VS Code get the same features.
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, args: ['lsp'], transport: TransportKind.ipc },
    debug: { module: serverModule, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    synchronize: {
      // Scripts and the agent's other files change what the config's diagnostics say.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.sh'),
        vscode.workspace.createFileSystemWatcher('**/etc/azure/**'),
        vscode.workspace.createFileSystemWatcher('**/VMSnapshotScriptPluginConfig.json'),
        // On the VM (Remote-SSH) the real files live outside any workspace folder.
        ...(fs.existsSync('/etc/azure') ? [vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file('/etc/azure'), '**'))] : []),
      ],
    },
    outputChannelName: vscode.l10n.t('VM Snapshot Scripts'),
  };
  client = new LanguageClient('vmsnapshot', vscode.l10n.t('VM Snapshot Scripts'), serverOptions, clientOptions);

  const status = new OutcomeStatus();
  context.subscriptions.push(status, registerScaffoldCommand(context), registerRehearseCommand(context, () => client), registerLogCommands(() => client), registerLineEndingCommand(() => client), new PredictionView(client));
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(TrustNotification, { trusted: true });
    }),
  );
  client.onNotification(OutcomeNotification, (params) => status.update(params));
  await client.start();
  const vmOwn = new VmOwnConfigContext(() => client);
  context.subscriptions.push(vmOwn);
  return { outcomeStatusSelector: () => status.selector, outcomeText: (uri) => status.textFor(uri), configIsVmOwn: () => vmOwn.settled() };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
