import * as l10n from '@vscode/l10n';
import { describeAgentPath } from '../agentFiles/iniFeatures';
import type { AgentFilesView } from '../engine/agentFiles/etcAzure';
import { defaultVmbackup, VmbackupPrediction } from '../engine/agentFiles/vmbackupConf';
import { describeWorkloadBehaviour } from '../engine/agentFiles/workloadBehaviour';
import { HOST_CONF_VM_PATH } from '../engine/codes';

/** The copy shipped with the extension, whose version folder is not known here. */
export const SHIPPED_HOST_CONF_PATH = '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-<version>/main/VMSnapshotPluginHost.conf';

/** `agent.path`, `agent.workload` and `agent.hostConf` of a config entry (README, "JSON output"). */
export function agentPathJson(view: AgentFilesView | undefined): { path: 'script' | 'workload'; workload: string | null; hostConf: { path: string; numberOfPlugins: number; timeoutCapSeconds: number } } {
  if (!view) return { path: 'script', workload: null, hostConf: { path: SHIPPED_HOST_CONF_PATH, numberOfPlugins: 1, timeoutCapSeconds: 1800 } };
  const host = view.hostConf;
  return {
    path: view.path,
    workload: view.workload.prediction.name,
    hostConf: { path: host.vmPath ?? (host.prediction.source === 'shippedAssumed' ? SHIPPED_HOST_CONF_PATH : HOST_CONF_VM_PATH), numberOfPlugins: host.prediction.numberOfPlugins, timeoutCapSeconds: host.prediction.timeoutCapSeconds },
  };
}

/** The top-level `vmbackup`: what the agent reads from vmbackup.conf, its defaults when it reads nothing. */
export function vmbackupJson(view: AgentFilesView | undefined): Pick<VmbackupPrediction, 'mountsToSkip' | 'snapshotTimeoutSeconds' | 'safeFreezeWaitSeconds' | 'writeLog' | 'uploadStatusAndLog'> & { frozen?: string[] } {
  const prediction = view?.vmbackup.prediction ?? defaultVmbackup();
  return {
    mountsToSkip: prediction.mountsToSkip,
    snapshotTimeoutSeconds: prediction.snapshotTimeoutSeconds,
    safeFreezeWaitSeconds: prediction.safeFreezeWaitSeconds,
    writeLog: prediction.writeLog,
    uploadStatusAndLog: prediction.uploadStatusAndLog,
    ...(view?.frozen ? { frozen: view.frozen.frozen.map((mount) => mount.mountPoint) } : {}),
  };
}

/** Lines for the text output: the path taken, the workload's behaviour, the host conf note, what is frozen. */
export function agentFilesText(view: AgentFilesView): string[] {
  const lines = [describeAgentPath(view)];
  const behaviour = describeWorkloadBehaviour(view.workload.prediction);
  if (behaviour) lines.push(l10n.t('pre: {0}', behaviour.pre), l10n.t('post: {0}', behaviour.post), l10n.t('if post never comes: {0}', behaviour.leftBehind), behaviour.result);
  if (view.hostConf.note && view.path === 'script') lines.push(view.hostConf.note);
  if (view.frozen) {
    const frozen = view.frozen.frozen.map((mount) => mount.mountPoint).join(', ') || l10n.t('nothing');
    lines.push(l10n.t('frozen, in this order: {0}', frozen));
    const reasons: Record<string, string> = { network: l10n.t('network or fuse'), fsType: l10n.t('file system type'), loop: l10n.t('loop device'), resourceDisk: l10n.t('resource disk (assumed)'), mountsToSkip: l10n.t('listed in MountsToSkip'), hidden: l10n.t('mounted over') };
    const others = view.frozen.notFrozen.map((mount) => `${mount.mountPoint} (${reasons[mount.reason]})`).join(', ');
    if (others) lines.push(l10n.t('not frozen: {0}', others));
    if (view.frozen.assumedBlockDevices) lines.push(l10n.t('(no /dev or /sys/class/block in this tree: every /dev/… source is taken for a block device)'));
  }
  return lines;
}
