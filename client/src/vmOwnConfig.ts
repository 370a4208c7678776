import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VmOwnConfigRequest, VmOwnConfigResult } from '../../server/src/protocol';

/** True while the active editor holds the script config the agent on this machine reads. */
export const VM_OWN_CONFIG_CONTEXT = 'vmsnapshot.configIsVmOwn';
/** That editor's path, for the editor tab's menu (`resourcePath in …`), whose resource may be another tab's. */
export const VM_OWN_CONFIG_PATHS_CONTEXT = 'vmsnapshot.vmOwnConfigPaths';

/** Asks the server (the engine knows which config the agent reads); undefined when it is not running. */
export async function askVmOwnConfig(client: LanguageClient | undefined, uri?: vscode.Uri): Promise<VmOwnConfigResult | undefined> {
  if (!client?.isRunning()) return undefined;
  try {
    return await client.sendRequest(VmOwnConfigRequest, uri ? { uri: uri.toString() } : {});
  } catch {
    return undefined;
  }
}

/**
 * Keeps `vmsnapshot.configIsVmOwn` true only while the active editor is the VM's own config, so
 * that "Rehearse" is offered only there: over Remote-SSH the extension host (and the server) run
 * on the VM, where that is /etc/azure's config or the one its host conf names.
 */
export class VmOwnConfigContext implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private latest: Promise<boolean> = Promise.resolve(false);
  private generation = 0;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.update());
    this.update();
  }

  /** What the key says once it matches the active editor (for the end-to-end tests). */
  settled(): Promise<boolean> {
    return this.latest;
  }

  private update(): void {
    const generation = ++this.generation;
    const uri = vscode.window.activeTextEditor?.document.uri;
    this.latest = (async () => {
      const answer = uri?.scheme === 'file' ? await askVmOwnConfig(this.client(), uri) : undefined;
      const vmOwn = answer?.vmOwn === true;
      // An older answer arriving late must not overwrite the newer editor's.
      if (generation === this.generation) {
        await vscode.commands.executeCommand('setContext', VM_OWN_CONFIG_PATHS_CONTEXT, vmOwn && uri ? [uri.fsPath] : []);
        await vscode.commands.executeCommand('setContext', VM_OWN_CONFIG_CONTEXT, vmOwn);
      }
      return vmOwn;
    })();
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
