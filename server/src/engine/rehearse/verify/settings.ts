import { findApp } from '../../scaffold/apps';
import { FileSystem, isDenied } from '../../fs/fileSystem';

export type VerifiableApp = 'mysql' | 'postgresql';

/** What a check runs: a client program with its arguments and environment, bounded in time. */
export type RunCommand = (file: string, args: readonly string[], options: { env?: Record<string, string>; timeoutMs: number }) => Promise<{ status: number | null; stdout: string; stderr: string }>;

/**
 * The settings the scripts run with: the scaffolded scripts take `name=value` parameters (the last
 * one wins) and fall back to their own defaults. The checks connect the same way the scripts do.
 */
export function scriptSettings(app: VerifiableApp, argv: readonly string[]): Map<string, string> {
  const settings = new Map<string, string>();
  for (const setting of findApp(app)?.settings ?? []) settings.set(setting.name, setting.defaultValue);
  for (const arg of argv.slice(2)) {
    const match = /^([a-z_]+)=(.*)$/s.exec(arg);
    if (match) settings.set(match[1], match[2]);
  }
  return settings;
}

/**
 * The application a scaffolded pre-script quiesces: from the header line the scaffolding writes,
 * else from the parameter that names its credentials file.
 */
export function detectApp(fileSystem: FileSystem, scriptPath: string, argv: readonly string[]): VerifiableApp | undefined {
  const bytes = fileSystem.readFile(scriptPath, 4096);
  const text = bytes && !isDenied(bytes) ? Buffer.from(bytes).toString('utf8') : '';
  const match = /^#\s*vmsnapshot\s+(mysql|postgresql)\s+pre-script/m.exec(text);
  if (match) return match[1] as VerifiableApp;
  const names = argv.slice(2).map((arg) => arg.split('=', 1)[0]);
  if (names.includes('options_file')) return 'mysql';
  if (names.includes('service_file')) return 'postgresql';
  return undefined;
}

/** Seconds the application stays quiesced without a post-script: the scripts' own lock bound. */
export function lockSeconds(settings: Map<string, string>): number {
  const value = Number(settings.get('lock_seconds'));
  return Number.isFinite(value) && value > 0 ? value : 60;
}
