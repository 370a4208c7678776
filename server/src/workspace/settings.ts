import type { FileChecksSetting } from '../engine/analyze';

/** Everything under the `vmsnapshot.` prefix that the server reads. */
export interface ServerSettings {
  fileChecks: FileChecksSetting;
  /** A folder standing for the VM's `/`; empty for none. */
  root: string;
  /** VM path prefix → local folder, for workspace copies not laid out as `<X>/etc/azure`. */
  pathMappings: Record<string, string>;
  shellcheck: { enable: boolean; executablePath: string };
}

export const DEFAULT_SETTINGS: ServerSettings = {
  fileChecks: 'auto',
  root: '',
  pathMappings: {},
  shellcheck: { enable: true, executablePath: 'shellcheck' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Settings arrive as untyped JSON from any editor: keep what is well-formed, default the rest. */
export function normalizeSettings(raw: unknown): ServerSettings {
  if (!isRecord(raw)) return DEFAULT_SETTINGS;
  const fileChecks = raw.fileChecks === 'on' || raw.fileChecks === 'off' ? raw.fileChecks : 'auto';
  const root = typeof raw.root === 'string' ? raw.root : '';
  const pathMappings: Record<string, string> = {};
  if (isRecord(raw.pathMappings)) {
    for (const [vmPath, local] of Object.entries(raw.pathMappings)) if (typeof local === 'string') pathMappings[vmPath] = local;
  }
  const shellcheck = isRecord(raw.shellcheck) ? raw.shellcheck : {};
  return {
    fileChecks,
    root,
    pathMappings,
    shellcheck: {
      enable: shellcheck.enable !== false,
      executablePath: typeof shellcheck.executablePath === 'string' && shellcheck.executablePath ? shellcheck.executablePath : 'shellcheck',
    },
  };
}

/** `${workspaceFolder}` in a mapping means the workspace folder (a path) that holds the config. */
export function expandPathMappings(mappings: Record<string, string>, configPath: string | undefined, workspaceFolders: readonly string[]): Record<string, string> {
  const folder = workspaceFolders.filter((candidate) => configPath?.startsWith(`${candidate}/`)).sort((a, b) => b.length - a.length)[0] ?? workspaceFolders[0];
  const expanded: Record<string, string> = {};
  for (const [vmPrefix, local] of Object.entries(mappings)) {
    if (local.includes('${workspaceFolder}') && !folder) continue;
    expanded[vmPrefix] = local.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  }
  return expanded;
}
