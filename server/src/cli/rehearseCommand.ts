import { spawn } from 'child_process';
import * as fs from 'fs';
import * as readline from 'readline';
import * as l10n from '@vscode/l10n';
import { isUnreadable } from '../engine/analyze';
import { agentScriptConfig } from '../engine/agentFiles/configPath';
import { nodeFileSystem } from '../engine/fs/fileSystem';
import { createNodeLauncher, planRehearsal, QuiesceProbe, rehearse, RehearsalEvent, RehearsalRefused, RehearsalReport, systemClock } from '../engine/rehearse';
import { scriptName } from '../engine/rehearse/plan';
import { createEngine } from '../engine/service/engine';
import { ParsedArgs, stringFlag, UsageError } from './args';
import { rehearsalToText } from './rehearseOutput';

export const REHEARSE_VALUED = new Set(['format', 'root', 'locale', 'between', 'max-wait', 'report', 'app']);
export const REHEARSE_BOOLEANS = new Set(['help', 'yes', 'skip-post', 'verify']);

/** How long the window lasts when no --between command stands for the snapshot. */
const DEFAULT_WINDOW_SECONDS = 3;
/** How long a timed-out script is waited for before going on, unless --max-wait says otherwise. */
const DEFAULT_MAX_WAIT_SECONDS = 60;

export interface RehearseIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Asks the person at the terminal; absent when there is none. */
  confirm?(question: string): Promise<boolean>;
  /** Builds the --verify probe for the scripts (loaded on demand: it needs the database clients). */
  probeFor?(argv: readonly string[], scriptPath: string, app: string | undefined): QuiesceProbe;
}

export function askOnTerminal(question: string): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    prompt.question(question, (answer) => {
      prompt.close();
      resolve(/^(y|yes|s|sim)$/i.test(answer.trim()));
    });
  });
}

function seconds(parsed: ParsedArgs, name: string, fallback: number): number {
  const text = stringFlag(parsed, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(value)) throw new UsageError(l10n.t('--{0} must be a number of seconds', name));
  return value;
}

function configPath(parsed: ParsedArgs, root: string | undefined): string {
  if (parsed.positionals.length > 1) throw new UsageError(l10n.t('rehearse takes one config'));
  // No PATH: the config the agent reads (the host conf may name another than /etc/azure's).
  return parsed.positionals[0] ?? agentScriptConfig(nodeFileSystem, root ?? '/').localPath;
}

function describeEvent(event: RehearsalEvent): string {
  switch (event.kind) {
    case 'phaseStarted':
      return l10n.t('{0} started (pid {1}), limit {2} s: {3}', scriptName(event.side), event.pid, event.limitSeconds, event.argv.join(' '));
    case 'timedOut':
      return event.maxWaitSeconds > 0
        ? l10n.t('{0} still running at the agent\'s limit (pid {1}); the agent would report a timeout and go on. Waiting up to {2} s for it to end (--max-wait).', scriptName(event.side), event.pid, event.maxWaitSeconds)
        : l10n.t('{0} still running at the agent\'s limit (pid {1}); going on at once, as the agent does.', scriptName(event.side), event.pid);
    case 'phaseEnded':
      return `${scriptName(event.side)}: ${event.result}`;
    case 'windowStarted':
      return event.command !== null ? l10n.t('snapshot window: running {0}', event.command) : l10n.t('snapshot window: waiting {0} s', event.seconds);
    case 'verifying':
      return event.what === 'quiesced' ? l10n.t('checking from another session that the application is quiesced…') : l10n.t('checking from another session that the application is released…');
  }
}

function runBetween(command: string): Promise<number> {
  // The user's own command, with the user's environment; its output goes to stderr so that stdout stays the report.
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 2, 2] });
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * `vmsnapshot rehearse`: runs the config's scripts the way the agent will, after asking (or with
 * --yes), and reports what the agent would. Exit 0 when the agent would report success (and
 * --verify, if asked, saw the application quiesced and released), 1 otherwise, 2 for usage errors
 * and refusals.
 */
export async function runRehearseCommand(parsed: ParsedArgs, io: RehearseIo): Promise<number> {
  const format = stringFlag(parsed, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(l10n.t('--format must be text or json'));
  const root = stringFlag(parsed, 'root');
  if (root !== undefined && !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(l10n.t('--root {0}: not a folder', root));
  const maxWaitSeconds = seconds(parsed, 'max-wait', DEFAULT_MAX_WAIT_SECONDS);
  const app = stringFlag(parsed, 'app');
  if (app !== undefined && app !== 'mysql' && app !== 'postgresql') throw new UsageError(l10n.t('--app must be mysql or postgresql'));

  const engine = createEngine();
  // The agent's own config (no PATH) is on this VM wherever it is: its script paths are this machine's.
  const analysis = engine.analyzeFile(configPath(parsed, root), { root: root ?? (parsed.positionals.length === 0 ? '/' : undefined), fileChecks: 'on' });
  if (isUnreadable(analysis)) {
    for (const diagnostic of analysis.diagnostics) io.stderr(`vmsnapshot: ${diagnostic.message}`);
    return 2;
  }
  if (analysis.pathContext.kind !== 'vm' && analysis.pathContext.kind !== 'root' && analysis.pathContext.kind !== 'workspace') {
    throw new UsageError(l10n.t('{0} is not /etc/azure/VMSnapshotScriptPluginConfig.json: give --root DIR, the folder that stands for the VM\'s /, so that the scripts it names can be found.', analysis.configPath));
  }
  let plan;
  try {
    plan = planRehearsal(analysis);
  } catch (error) {
    if (error instanceof RehearsalRefused) {
      io.stderr(`vmsnapshot: ${error.message}`);
      return 2;
    }
    throw error;
  }

  if (plan.runs && !parsed.flags.has('yes')) {
    if (!io.confirm) {
      io.stderr(`vmsnapshot: ${l10n.t('rehearse runs the scripts as root and there is no terminal to ask for confirmation: add --yes to run them.')}`);
      return 2;
    }
    const question = [
      l10n.t('This runs the scripts now, as the agent will (sh, no terminal, minimal environment):'),
      `  pre:  ${plan.pre.agentArgv.join(' ')}`,
      parsed.flags.has('skip-post') ? l10n.t('  post: skipped (--skip-post)') : `  post: ${plan.post.agentArgv.join(' ')}`,
      l10n.t('  time limit {0} s each (the agent polls every {1} s); a script past it is not killed.', plan.timeoutLimitSeconds, plan.pollSeconds),
      l10n.t('Run them? [y/N] '),
    ].join('\n');
    if (!(await io.confirm(question))) {
      io.stderr(l10n.t('Nothing was run.'));
      return 2;
    }
  }

  let probe: QuiesceProbe | undefined;
  if (parsed.flags.has('verify') && plan.runs) {
    if (!io.probeFor) throw new UsageError(l10n.t('--verify is not available here'));
    try {
      probe = io.probeFor(plan.pre.agentArgv, plan.pre.localPath, app);
    } catch (error) {
      if (error instanceof RehearsalRefused) {
        io.stderr(`vmsnapshot: ${error.message}`);
        return 2;
      }
      throw error;
    }
  }

  const clock = systemClock;
  const report: RehearsalReport = await rehearse(analysis, {
    launcher: createNodeLauncher(clock),
    clock,
    fileSystem: engine.fileSystem,
    runBetween,
    between: stringFlag(parsed, 'between'),
    windowSeconds: DEFAULT_WINDOW_SECONDS,
    skipPost: parsed.flags.has('skip-post'),
    maxWaitSeconds,
    probe,
    asRoot: process.getuid?.() === 0,
    onEvent: (event) => io.stderr(`vmsnapshot: ${describeEvent(event)}`),
  });

  const json = JSON.stringify(report, null, 2);
  const reportFile = stringFlag(parsed, 'report');
  if (reportFile) {
    // Whole or not at all: the editor waits for this file and reads it at once.
    fs.writeFileSync(`${reportFile}.tmp`, `${json}\n`, { mode: 0o644 });
    fs.renameSync(`${reportFile}.tmp`, reportFile);
  }
  io.stdout(format === 'json' ? json : rehearsalToText(report));
  const verified = !report.verify || report.verify.passed;
  return report.agent.code === 0 && verified ? 0 : 1;
}
