import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { WORKLOAD_NAMES, WorkloadName } from '../engine/agentFiles/catalogue';
import { composeVmbackupConf, composeWorkloadConf, ConfFile } from '../engine/agentFiles/scaffoldConf';
import { writeFileAtomic } from '../engine/scaffold';
import type { ScaffoldIo } from './scaffoldCommand';

/** The `--app` names that scaffold one of the agent's INI files instead of scripts. */
export const CONF_APPS = [...WORKLOAD_NAMES.map((name) => `workload-${name}`), 'vmbackup'] as const;

export function confFor(app: string): ConfFile | undefined {
  if (app === 'vmbackup') return composeVmbackupConf();
  const workload = /^workload-(.+)$/.exec(app)?.[1];
  return workload && (WORKLOAD_NAMES as readonly string[]).includes(workload) ? composeWorkloadConf(workload as WorkloadName) : undefined;
}

/** Writes workload.conf or vmbackup.conf into `outDir`, mode 600; never replaces a file without --force or a yes. */
export async function writeAgentConf(conf: ConfFile, outDir: string, force: boolean, io: ScaffoldIo): Promise<number> {
  const folder = path.resolve(outDir);
  fs.mkdirSync(folder, { recursive: true });
  const target = path.join(folder, path.posix.basename(conf.vmPath));
  const exists = fs.existsSync(target);
  if (exists && !force && !(io.confirm && (await io.confirm(l10n.t('Overwrite {0} in {1}?', path.basename(target), folder))))) {
    io.stderr(l10n.t('Nothing was written.'));
    return 1;
  }
  writeFileAtomic(target, conf.content, conf.mode, exists);
  io.stdout(l10n.t('Wrote {0} files to {1}:', 1, folder));
  io.stdout(`  ${conf.mode.toString(8)}  ${path.basename(target)}  → ${conf.vmPath}`);
  io.stdout(l10n.t('On the VM, as root: install -o root -g root -m 600 {0} {1}', target, conf.vmPath));
  return 0;
}
