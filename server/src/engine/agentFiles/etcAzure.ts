import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { CONFIG_VM_PATH, DiagnosticCode, HOST_CONF_VM_PATH, VMBACKUP_CONF_VM_PATH, WORKLOAD_CONF_VM_PATH } from '../codes';
import { silentFailureNote } from '../checks/messages';
import type { EngineDiagnostic } from '../types';
import { FrozenMounts, predictFrozenMounts } from './frozenMounts';
import { analyzePluginHostConf, HostConfPrediction, SHIPPED_HOST_CONF } from './pluginHostConf';
import { analyzeVmbackupConf, defaultVmbackup, VmbackupPrediction } from './vmbackupConf';
import { analyzeWorkloadConf, describeWorkloadDecision, WorkloadPrediction } from './workloadConf';

/** One VM file as this process sees it. */
export type VmFileReading =
  | { kind: 'text'; text: string; localPath: string; mode?: number; uid?: number }
  | { kind: 'absent' }
  /** We may not read it (the agent, as root, may); nothing can be said about its content. */
  | { kind: 'denied'; localPath: string }
  /** Not UTF-8: Python's read() raises, as for a syntax error. */
  | { kind: 'undecodable'; localPath: string };

/**
 * The VM's files, by VM path, through whatever maps them to local files (the VM itself, `--root`,
 * a workspace copy). The engine's file system and path context stand behind it.
 */
export interface VmFiles {
  read(vmPath: string): VmFileReading;
  /** Names in a VM folder, or undefined when it is not there (or the tree cannot show it). */
  list(vmPath: string): string[] | undefined;
  /** True where the tree stands for a whole VM, whose absent files are absent on the VM. */
  wholeVm: boolean;
}

export const WAAGENT_FOLDER = '/var/lib/waagent';
const EXTENSION_PREFIX = 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux-';

export type AgentPath = 'workload' | 'script';

export interface AgentFilesView {
  path: AgentPath;
  /** Why, in words, with the deciding line of workload.conf where there is one. */
  pathReason: string;
  workload: { prediction: WorkloadPrediction; localPath?: string; readable: boolean };
  hostConf: { prediction: HostConfPrediction; vmPath?: string; localPath?: string; note?: string };
  vmbackup: { prediction: VmbackupPrediction; localPath?: string };
  /** The script config the agent opens on the script path. */
  scriptConfigVmPath: string;
  frozen?: FrozenMounts & { assumedBlockDevices: boolean; mountTable: string };
  /** Findings about these files, each with its `file`. */
  diagnostics: EngineDiagnostic[];
  /** Local paths of the files this user may not read (the agent, as root, may). */
  denied: string[];
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i++) if ((left[i] ?? 0) !== (right[i] ?? 0)) return (left[i] ?? 0) - (right[i] ?? 0);
  return 0;
}

/** The newest installed extension folder (the agent's working directory), by VM path. */
export function newestExtensionFolder(files: VmFiles): string | undefined {
  const names = files.list(WAAGENT_FOLDER)?.filter((name) => name.startsWith(EXTENSION_PREFIX));
  if (!names || names.length === 0) return undefined;
  names.sort((a, b) => compareVersions(a.slice(EXTENSION_PREFIX.length), b.slice(EXTENSION_PREFIX.length)));
  return path.posix.join(WAAGENT_FOLDER, names[names.length - 1]);
}

/** The installed PostgreSQL major version, from folders and PG_VERSION files; nothing is run. */
export function findPostgresMajor(files: VmFiles): number | undefined {
  const majors: number[] = [];
  for (const folder of ['/usr/lib/postgresql', '/var/lib/postgresql']) {
    for (const name of files.list(folder) ?? []) if (/^\d+$/.test(name)) majors.push(Number(name));
  }
  for (const name of files.list('/usr') ?? []) {
    const match = /^pgsql-(\d+)$/.exec(name);
    if (match) majors.push(Number(match[1]));
  }
  const pgVersion = files.read('/var/lib/pgsql/data/PG_VERSION');
  if (pgVersion.kind === 'text' && /^\d+/.test(pgVersion.text.trim())) majors.push(Number.parseInt(pgVersion.text.trim(), 10));
  return majors.length > 0 ? Math.max(...majors) : undefined;
}

function hostConfReading(files: VmFiles): { reading: VmFileReading; vmPath?: string; source: 'etcAzure' | 'extensionFolder' | 'shippedAssumed' | 'missing'; note?: string } {
  const etc = files.read(HOST_CONF_VM_PATH);
  if (etc.kind !== 'absent') return { reading: etc, vmPath: HOST_CONF_VM_PATH, source: 'etcAzure' };
  const extension = files.wholeVm ? newestExtensionFolder(files) : undefined;
  if (!extension) {
    const note = files.wholeVm
      ? l10n.t('No {0} and no installed extension in this tree: assuming the copy shipped with the extension (ScriptRunner, {1}, cap 1800 s).', HOST_CONF_VM_PATH, CONFIG_VM_PATH)
      : l10n.t('No {0}: the agent uses the copy shipped with the extension (ScriptRunner, {1}, cap 1800 s).', HOST_CONF_VM_PATH, CONFIG_VM_PATH);
    return { reading: { kind: 'absent' }, source: 'shippedAssumed', note };
  }
  const shipped = path.posix.join(extension, 'main', 'VMSnapshotPluginHost.conf');
  const reading = files.read(shipped);
  if (reading.kind === 'absent') return { reading, vmPath: shipped, source: 'missing' };
  return { reading, vmPath: shipped, source: 'extensionFolder' };
}

/** Reads workload.conf, the host conf and vmbackup.conf as the agent does and decides its path. */
export function readAgentFiles(files: VmFiles, options: { checkModes: boolean; mountTable?: { text: string; isBlockDevice: Parameters<typeof predictFrozenMounts>[0]['isBlockDevice']; resourceDiskMountPoint?: string } }): AgentFilesView {
  const diagnostics: EngineDiagnostic[] = [];

  const workloadReading = files.read(WORKLOAD_CONF_VM_PATH);
  const workloadText = workloadReading.kind === 'text' ? workloadReading.text : workloadReading.kind === 'undecodable' ? '\u0000' : undefined;
  const workloadLocal = workloadReading.kind === 'absent' ? undefined : workloadReading.localPath;
  // Looked up only when a postgres workload asks: three folder listings and a read per keystroke otherwise.
  let postgresMajor: { value: number | undefined } | undefined;
  const environment = {
    get postgresMajor(): number | undefined {
      postgresMajor ??= { value: findPostgresMajor(files) };
      return postgresMajor.value;
    },
  };
  const workload = analyzeWorkloadConf(workloadText, workloadLocal ?? WORKLOAD_CONF_VM_PATH, environment);
  diagnostics.push(...workload.diagnostics);
  const workloadValue = workload.document && workload.prediction.decidingLine !== undefined ? workload.document.options.find((option) => option.nameSpan.line === workload.prediction.decidingLine)?.value : undefined;
  let pathReason = describeWorkloadDecision(workload.prediction, workloadValue);
  if (workloadReading.kind === 'denied') pathReason = l10n.t('{0} cannot be read as this user: the path the agent takes is not known (run as root to see it)', WORKLOAD_CONF_VM_PATH);

  const host = hostConfReading(files);
  let hostPrediction: HostConfPrediction = { ...SHIPPED_HOST_CONF, source: host.source };
  if (host.source === 'missing') {
    hostPrediction = { ...hostPrediction, agentCode: 313, plugins: [], numberOfPlugins: 0, pluginConfigVmPath: undefined };
    if (workload.prediction.name === null) {
      diagnostics.push({
        code: DiagnosticCode.incorrectPluginhostFile,
        severity: 'error',
        message: `${l10n.t('No {0} and none in the extension folder ({1}): the agent reports 313 and runs no script.', HOST_CONF_VM_PATH, host.vmPath!)} ${silentFailureNote()}`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        agentCode: 313,
        data: { rule: 'hostConfNotFound' },
      });
    }
  } else if (host.reading.kind === 'text' || host.reading.kind === 'undecodable') {
    const text = host.reading.kind === 'text' ? host.reading.text : '\u0000';
    const analysis = analyzePluginHostConf(
      { text, source: host.source as 'etcAzure' | 'extensionFolder', ...(options.checkModes && host.reading.kind === 'text' ? { mode: host.reading.mode, uid: host.reading.uid } : {}) },
      host.reading.localPath,
      host.vmPath!,
    );
    hostPrediction = analysis.prediction;
    // On the workload path the agent never opens the host conf: its findings would predict nothing.
    if (workload.prediction.name === null) diagnostics.push(...analysis.diagnostics);
  }
  const hostLocal = host.reading.kind === 'absent' ? undefined : host.reading.localPath;

  const vmbackupReading = files.read(VMBACKUP_CONF_VM_PATH);
  let vmbackup = defaultVmbackup();
  if (vmbackupReading.kind === 'text' || vmbackupReading.kind === 'undecodable') {
    const analysis = analyzeVmbackupConf({ text: vmbackupReading.kind === 'text' ? vmbackupReading.text : '\u0000', vmPath: VMBACKUP_CONF_VM_PATH }, vmbackupReading.localPath);
    vmbackup = analysis.prediction;
    diagnostics.push(...analysis.diagnostics);
  }
  const vmbackupLocal = vmbackupReading.kind === 'absent' ? undefined : vmbackupReading.localPath;

  const frozen = options.mountTable
    ? { ...predictFrozenMounts({ mountTable: options.mountTable.text, isBlockDevice: options.mountTable.isBlockDevice, resourceDiskMountPoint: options.mountTable.resourceDiskMountPoint, mountsToSkip: vmbackup.mountsToSkip }), mountTable: options.mountTable.text }
    : undefined;

  return {
    path: workload.prediction.name ? 'workload' : 'script',
    pathReason,
    workload: { prediction: workload.prediction, localPath: workloadLocal, readable: workloadReading.kind !== 'denied' },
    hostConf: { prediction: hostPrediction, vmPath: host.vmPath, localPath: hostLocal, note: host.note },
    vmbackup: { prediction: vmbackup, localPath: vmbackupLocal },
    scriptConfigVmPath: hostPrediction.pluginConfigVmPath ?? CONFIG_VM_PATH,
    frozen,
    diagnostics,
    denied: [workloadReading, host.reading, vmbackupReading].flatMap((reading) => (reading.kind === 'denied' ? [reading.localPath] : [])),
  };
}
