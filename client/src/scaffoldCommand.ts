import * as vscode from 'vscode';

// Placeholder until the scaffolding module lands; keeps the client compiling.
export function registerScaffoldCommand(_context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('vmsnapshot.scaffold', () => vscode.window.showInformationMessage('Scaffolding is not available in this build.'));
}
