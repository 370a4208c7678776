/** The applications a scaffold can be made for (the CLI's `--app` names). */
export const APP_IDS = ['generic', 'mysql', 'postgresql', 'mongodb', 'oracle', 'systemd', 'docker'] as const;
export type AppId = (typeof APP_IDS)[number];

export type ScriptSide = 'pre' | 'post';

/** What the user chooses; everything has a default except the units and containers to act on. */
export interface ScaffoldParams {
  /** The config's `timeoutInSeconds`. */
  timeoutSeconds?: number;
  /**
   * The quiesce's bound (`lock_seconds`); by default the agent's timeline for this timeout. A
   * shorter one is allowed (tests, rehearsals) and the config check warns about it.
   */
  lockSeconds?: number;
  /** Folder on the VM for the scripts (and the options file); default `/etc/azure/vmsnapshot`. */
  scriptDir?: string;
  /** systemd units to stop and start again. */
  services?: string[];
  /** Docker containers to pause and unpause. */
  containers?: string[];
  /** Other script settings by name (`options_file`, `state_dir`, `log_file`, …). */
  settings?: Record<string, string>;
}

export type ScaffoldFileRole = 'config' | 'pre' | 'post' | 'install' | 'options';

export interface ScaffoldFile {
  /** A plain file name (no folders): the writer refuses anything else. */
  name: string;
  content: string;
  /** Final permission bits, e.g. 0o600 or 0o700. */
  mode: number;
  role: ScaffoldFileRole;
  /** Where install.sh puts it on the VM; absent for install.sh itself. */
  vmPath?: string;
  /** Installed only when absent: it holds the user's credentials once edited. */
  keepExisting?: boolean;
}

export interface ScaffoldPlan {
  /** What the scaffold is for, for messages and folder names: `mysql`, or `mysql+systemd`. */
  app: string;
  /** The applications, in the order the pre-script quiesces them. */
  apps: AppId[];
  files: ScaffoldFile[];
  /** The parameters written into the config, as the agent passes them. */
  preParams: string[];
  postParams: string[];
  timeoutSeconds: number;
}

/** A problem with the user's choices; the message is localized and ready to show. */
export class ScaffoldError extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}
