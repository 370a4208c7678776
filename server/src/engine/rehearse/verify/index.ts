import * as l10n from '@vscode/l10n';
import type { FileSystem } from '../../fs/fileSystem';
import { RehearsalRefused } from '../plan';
import type { Clock } from '../ports';
import type { QuiesceProbe } from '../rehearse';
import { mysqlProbe } from './mysqlProbe';
import { postgresqlProbe } from './postgresqlProbe';
import { detectApp, RunCommand, scriptSettings, VerifiableApp } from './settings';

export type { RunCommand, VerifiableApp } from './settings';

export interface ProbeContext {
  fileSystem: FileSystem;
  run: RunCommand;
  clock: Clock;
  /** The first of these client programs found on PATH. */
  findProgram(names: readonly string[]): string | undefined;
}

/**
 * The --verify checks for the pre-script's application, connecting as the scripts do (their
 * name=value parameters, else the scaffolded defaults). The application comes from --app, from
 * the scaffolded script's header, or from the parameter naming its credentials file.
 */
export function createProbe(preArgv: readonly string[], preScriptPath: string, app: VerifiableApp | undefined, context: ProbeContext): QuiesceProbe {
  const chosen = app ?? detectApp(context.fileSystem, preScriptPath, preArgv);
  if (!chosen) throw new RehearsalRefused(l10n.t('--verify cannot tell which application {0} quiesces: add --app mysql or --app postgresql.', preScriptPath));
  const settings = scriptSettings(chosen, preArgv);
  if (chosen === 'mysql') {
    const client = settings.get('client') || context.findProgram(['mariadb', 'mysql']);
    if (!client) throw new RehearsalRefused(l10n.t('--verify needs the mariadb or mysql client on PATH.'));
    return mysqlProbe(client, settings.get('options_file')!, settings, context.run, context.clock);
  }
  const psql = settings.get('psql') || 'psql';
  const env = { PGSERVICEFILE: settings.get('service_file')!, PGSERVICE: settings.get('service')!, PGCONNECT_TIMEOUT: '10' };
  return postgresqlProbe(psql, env, settings, context.run, context.clock);
}
