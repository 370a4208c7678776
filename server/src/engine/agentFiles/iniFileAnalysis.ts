import * as path from 'path';
import { HOST_CONF_VM_PATH } from '../codes';
import type { FileSystem } from '../fs/fileSystem';
import { IniDocument, parseIni } from '../ini/configParser';
import { hasRealModes, PathContext } from '../paths/pathResolution';
import type { EngineDiagnostic } from '../types';
import { AgentIniKind, agentIniKindOf, AGENT_INI_VM_PATHS } from './catalogue';
import { AgentFilesView, readAgentFiles } from './etcAzure';
import { analyzePluginHostConf } from './pluginHostConf';
import { analyzeVmbackupConf } from './vmbackupConf';
import { readMountTable, vmFilesFrom } from './vmFiles';
import { analyzeWorkloadConf } from './workloadConf';

export interface AgentIniAnalysis {
  kind: AgentIniKind;
  localPath?: string;
  /** The VM path this file stands for, when its place in a VM tree is known. */
  vmPath?: string;
  document: IniDocument;
  /** The whole of /etc/azure as the agent will read it, with this text in place of the file. */
  view?: AgentFilesView;
  /** This file's findings. */
  diagnostics: EngineDiagnostic[];
}

export interface AgentIniOptions {
  localPath?: string;
  /** The language id's kind, for files not named as the agent names them. */
  kind?: AgentIniKind;
  /** A local folder standing for the VM's `/` (`vmsnapshot.root`, `--root`). */
  root?: string;
  fileSystem: FileSystem;
  fileChecks?: 'auto' | 'on' | 'off';
}

const EXTENSION_MARKER = '/var/lib/waagent/';

/** Where the file sits in a VM tree: `<X>/etc/azure/<name>` or `<X>/var/lib/waagent/…`, `<X>` standing for `/`. */
function placeInTree(localPath: string, kind: AgentIniKind, root?: string): { context: PathContext; vmPath: string } | undefined {
  const absolute = path.resolve(localPath);
  if (root) {
    const resolvedRoot = path.resolve(root);
    if (absolute.startsWith(`${resolvedRoot}/`)) return { context: { kind: resolvedRoot === '/' ? 'vm' : 'root', root: resolvedRoot }, vmPath: absolute.slice(resolvedRoot.length) };
  }
  const etc = AGENT_INI_VM_PATHS[kind];
  if (absolute === etc) return { context: { kind: 'vm', root: '/' }, vmPath: etc };
  if (absolute.endsWith(etc)) return { context: { kind: 'workspace', root: absolute.slice(0, -etc.length) }, vmPath: etc };
  const marker = absolute.indexOf(EXTENSION_MARKER);
  if (marker >= 0) {
    const prefix = absolute.slice(0, marker);
    return { context: prefix ? { kind: 'workspace', root: prefix } : { kind: 'vm', root: '/' }, vmPath: absolute.slice(marker) };
  }
  return undefined;
}

function analyzeAlone(kind: AgentIniKind, text: string, file: string, vmPath?: string): EngineDiagnostic[] {
  switch (kind) {
    case 'workload':
      return analyzeWorkloadConf(text, file).diagnostics;
    case 'hostConf':
      return analyzePluginHostConf({ text, source: 'etcAzure' }, file, vmPath ?? HOST_CONF_VM_PATH).diagnostics;
    case 'vmbackup':
      return analyzeVmbackupConf({ text, vmPath }, file).diagnostics;
  }
}

/**
 * An open workload.conf, VMSnapshotPluginHost.conf or vmbackup.conf: its own findings and, where
 * it sits in a VM tree, what the agent will do with all of /etc/azure given this text.
 */
export function analyzeAgentIniText(text: string, options: AgentIniOptions): AgentIniAnalysis | undefined {
  const kind = options.kind ?? (options.localPath ? agentIniKindOf(options.localPath) : undefined);
  if (!kind) return undefined;
  const document = parseIni(text);
  const file = options.localPath ?? AGENT_INI_VM_PATHS[kind];
  const place = options.localPath && options.fileChecks !== 'off' ? placeInTree(options.localPath, kind, options.root) : undefined;
  if (!place) return { kind, localPath: options.localPath, document, diagnostics: analyzeAlone(kind, text, file) };
  const checkModes = options.fileChecks === 'on' || (options.fileChecks !== 'off' && hasRealModes(place.context));
  const files = vmFilesFrom(options.fileSystem, place.context, { vmPath: place.vmPath, text, localPath: file });
  const mountTable = kind === 'vmbackup' ? readMountTable(options.fileSystem, place.context) : undefined;
  const view = readAgentFiles(files, { checkModes, mountTable });
  const read = place.vmPath === AGENT_INI_VM_PATHS[kind] || (kind === 'hostConf' && place.vmPath === view.hostConf.vmPath);
  const diagnostics = read ? view.diagnostics.filter((diagnostic) => diagnostic.file === file) : analyzeAlone(kind, text, file, place.vmPath);
  return { kind, localPath: options.localPath, vmPath: place.vmPath, document, view, diagnostics };
}
