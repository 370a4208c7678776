import * as l10n from '@vscode/l10n';
import type { AnalysisResult } from '../analyze';
import { ScriptCode } from '../codes';
import type { FileSystem } from '../fs/fileSystem';
import { findExtensionFolder } from '../paths/extensionFolder';
import { resolveVmPath } from '../paths/pathResolution';
import { agentEnvironment, AGENT_PATH } from './agentEnvironment';
import { PhaseResult, snapshotAfterPre, verdictAfterScripts } from './agentVerdict';
import { planRehearsal, PlannedScript, RunnablePlan, scriptName, Side } from './plan';
import type { Clock, LaunchedProcess, ProcessLauncher } from './ports';
import type { PhaseReport, ProbeCheck, RehearsalNote, RehearsalReport, ScriptEnvironment, VerifyReport, WindowReport } from './report';
import { PhaseRun, runPhase } from './runPhase';

/** The Linux pipe buffer: what a script can write that nobody reads before it blocks. */
export const PIPE_CAPACITY_BYTES = 65_536;
/** A script that uses this much of its time limit is one slow day away from a timeout. */
export const NEAR_TIMEOUT_SHARE = 0.8;

/**
 * Checks from another session that the application is quiesced during the snapshot window and
 * released afterwards. Each check says in words what it saw.
 */
export interface QuiesceProbe {
  readonly application: string;
  /** Before the pre-script (e.g. a table to write to: creating it later would itself wait). */
  prepare(): Promise<void>;
  quiesced(): Promise<{ ok: boolean; message: string }>;
  /** After the post-script, or, with no post-script, after the application's own lock bound. */
  released(withoutPost: boolean): Promise<{ ok: boolean; message: string }>;
  cleanup(): Promise<void>;
}

export type RehearsalEvent =
  | { kind: 'phaseStarted'; side: Side; argv: readonly string[]; pid: number; limitSeconds: number }
  | { kind: 'timedOut'; side: Side; pid: number; maxWaitSeconds: number }
  | { kind: 'phaseEnded'; side: Side; result: PhaseResult }
  | { kind: 'windowStarted'; command: string | null; seconds: number }
  | { kind: 'verifying'; what: 'quiesced' | 'released' };

export interface RehearseOptions {
  launcher: ProcessLauncher;
  clock: Clock;
  fileSystem: FileSystem;
  /** Runs the user's `--between` command in the snapshot window; resolves with its exit status. */
  runBetween?: (command: string) => Promise<number>;
  between?: string;
  /** How long the window lasts without a command. */
  windowSeconds: number;
  skipPost: boolean;
  maxWaitSeconds: number;
  probe?: QuiesceProbe;
  asRoot: boolean;
  onEvent?: (event: RehearsalEvent) => void;
}

const SCRIPT_TEXT_CODES = new Set<string>([ScriptCode.shebangIgnored, ScriptCode.crlf, ScriptCode.bom, ScriptCode.notPosix, ScriptCode.outputNotRedirected, ScriptCode.sourcedNotFound]);

const NOT_RUN: PhaseReport = {
  result: 'not-run',
  exitCode: null,
  seconds: null,
  stillRunning: false,
  pid: null,
  argv: null,
  script: null,
  startedAt: null,
  agentDoneAt: null,
  endedAt: null,
  pipeBytes: null,
  output: null,
};

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** What in the scripts' text makes `sh` under the agent differ from the user's terminal, as the engine found it. */
function scriptDifferences(analysis: AnalysisResult, plan: RunnablePlan): RehearsalNote[] {
  const notes: RehearsalNote[] = [];
  const seen = new Set<string>();
  for (const script of [plan.pre, plan.post]) {
    for (const diagnostic of analysis.diagnostics) {
      if (diagnostic.file !== script.localPath || !SCRIPT_TEXT_CODES.has(diagnostic.code)) continue;
      const key = `${diagnostic.code}\u0000${diagnostic.file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      notes.push({ code: diagnostic.code, side: script.side, message: diagnostic.message, file: diagnostic.file, line: diagnostic.range.start.line + 1 });
    }
  }
  return notes;
}

class Rehearsal {
  private readonly origin: number;
  private readonly warnings: RehearsalNote[] = [];
  private readonly processes: LaunchedProcess[] = [];

  constructor(
    private readonly plan: RunnablePlan,
    private readonly options: RehearseOptions,
    private readonly environment: { cwd: string; env: Record<string, string> },
  ) {
    this.origin = options.clock.now();
  }

  private at(time: number): number {
    return round((time - this.origin) / 1000);
  }

  private async runScript(script: PlannedScript): Promise<PhaseRun> {
    const { launcher, clock } = this.options;
    const limits = { timeoutSeconds: this.plan.timeoutSeconds, pollSeconds: this.plan.pollSeconds, maxWaitSeconds: this.options.maxWaitSeconds };
    const run = await runPhase(script.localArgv, this.environment, limits, launcher, clock, {
      launched: (process) => {
        this.processes.push(process);
        this.options.onEvent?.({ kind: 'phaseStarted', side: script.side, argv: script.agentArgv, pid: process.pid, limitSeconds: this.plan.timeoutLimitSeconds });
      },
      timedOut: (process) => this.options.onEvent?.({ kind: 'timedOut', side: script.side, pid: process.pid, maxWaitSeconds: this.options.maxWaitSeconds }),
    });
    this.options.onEvent?.({ kind: 'phaseEnded', side: script.side, result: run.result });
    return run;
  }

  /** The report of a phase, with its pipes read: call once nothing more is observed of the script. */
  private phaseReport(script: PlannedScript, run: PhaseRun, movedOnAt: number): PhaseReport {
    const { process } = run;
    const endedAt = process.endedAt();
    const stillRunning = endedAt === null || endedAt > movedOnAt;
    const pipes = process.readPipes(PIPE_CAPACITY_BYTES);
    const report: PhaseReport = {
      result: run.result,
      exitCode: process.returnCode(),
      seconds: round(((endedAt ?? movedOnAt) - run.startedAt) / 1000),
      stillRunning,
      pid: process.pid,
      argv: script.agentArgv,
      script: script.localPath,
      startedAt: this.at(run.startedAt),
      agentDoneAt: this.at(run.agentDoneAt),
      endedAt: endedAt === null ? null : this.at(endedAt),
      pipeBytes: { stdout: pipes.stdout.length, stderr: pipes.stderr.length },
      output: { stdout: Buffer.from(pipes.stdout).toString('utf8'), stderr: Buffer.from(pipes.stderr).toString('utf8') },
    };
    this.warnAbout(script.side, report);
    return report;
  }

  private warnAbout(side: Side, report: PhaseReport): void {
    const limit = this.plan.timeoutLimitSeconds;
    const warn = (code: string, message: string) => this.warnings.push({ code, side, message });
    if (report.result === 'timedout') {
      warn('timedOut', report.stillRunning
        ? l10n.t('The {0} was still running at the agent\'s limit of {1} s (pid {2}): the agent reports a timeout and does not kill it, so it goes on running after the backup moved on.', scriptName(side), limit, report.pid!)
        : l10n.t('The {0} took longer than the agent\'s limit of {1} s: the agent reports a timeout, although the script ended after {2} s.', scriptName(side), limit, report.seconds!));
    } else if (report.seconds !== null && report.seconds >= NEAR_TIMEOUT_SHARE * limit) {
      warn('nearTimeout', l10n.t('The {0} used {1} s of its {2} s ({3} %): a slower day times it out.', scriptName(side), report.seconds, limit, Math.round((report.seconds / limit) * 100)));
    }
    const full = (['stdout', 'stderr'] as const).filter((stream) => report.pipeBytes![stream] >= PIPE_CAPACITY_BYTES);
    for (const stream of full) {
      warn('pipeFull', l10n.t('The {0} filled its {1} pipe ({2} bytes), which the agent never reads: from there on each write blocks until the script is timed out. Write the output to a log file.', scriptName(side), stream, PIPE_CAPACITY_BYTES));
    }
  }

  private async window(preResult: PhaseResult): Promise<WindowReport> {
    const { clock } = this.options;
    const startedAt = clock.now();
    const opened = snapshotAfterPre(preResult, this.plan.effective);
    if (!opened) {
      this.warnings.push({ code: 'noSnapshot', message: l10n.t('After this pre-script result the agent takes no snapshot (continueBackupOnFailure {0}, fsFreezeEnabled {1}); it still runs the post-script.', String(this.plan.effective.continueBackupOnFailure), String(this.plan.effective.fsFreezeEnabled)) });
      return { opened, startedAt: this.at(startedAt), seconds: 0, command: null, exitCode: null };
    }
    const command = this.options.between ?? null;
    this.options.onEvent?.({ kind: 'windowStarted', command, seconds: this.options.windowSeconds });
    let exitCode: number | null = null;
    if (command !== null && this.options.runBetween) exitCode = await this.options.runBetween(command);
    else await clock.sleep(this.options.windowSeconds * 1000);
    if (exitCode !== null && exitCode !== 0) this.warnings.push({ code: 'betweenFailed', message: l10n.t('The command run in the snapshot window exited with {0}.', exitCode) });
    return { opened, startedAt: this.at(startedAt), seconds: round((clock.now() - startedAt) / 1000), command, exitCode };
  }

  private async check(what: 'quiesced' | 'released', work: () => Promise<{ ok: boolean; message: string }>): Promise<ProbeCheck> {
    this.options.onEvent?.({ kind: 'verifying', what });
    const at = this.at(this.options.clock.now());
    try {
      return { ...(await work()), at };
    } catch (error) {
      return { ok: false, at, message: error instanceof Error ? error.message : String(error) };
    }
  }

  async run(analysis: AnalysisResult): Promise<RehearsalReport> {
    const { probe, clock } = this.options;
    try {
      if (probe) await probe.prepare();
      const pre = await this.runScript(this.plan.pre);
      const verify: VerifyReport | null = probe ? { application: probe.application, passed: false, quiesced: null, released: null } : null;
      // The quiesce check belongs to the window the agent would snapshot in, so it runs first in it.
      if (probe && verify) verify.quiesced = await this.check('quiesced', () => probe.quiesced());
      const window = await this.window(pre.result);
      let post: PhaseRun | undefined;
      const postStartedAt = clock.now();
      if (this.options.skipPost) {
        this.warnings.push({ code: 'postSkipped', side: 'post', message: l10n.t('--skip-post: the post-script did not run, as when the agent never gets to it. The agent\'s result assumes it would have succeeded.') });
      } else {
        post = await this.runScript(this.plan.post);
      }
      if (probe && verify) {
        verify.released = await this.check('released', () => probe.released(this.options.skipPost));
        verify.passed = Boolean(verify.quiesced?.ok && verify.released?.ok);
      }
      const preReport = this.phaseReport(this.plan.pre, pre, postStartedAt);
      if (preReport.stillRunning && !this.options.skipPost) {
        this.warnings.push({ code: 'preStillRunning', side: 'pre', message: l10n.t('The pre-script was still running when the post-script started, as it would be under the agent: the post-script must cope with a pre-script that has not finished.') });
      }
      const postReport = post ? this.phaseReport(this.plan.post, post, clock.now()) : NOT_RUN;
      const verdict = verdictAfterScripts(pre.result, post?.result ?? 'not-run', this.plan.effective);
      return {
        config: this.plan.configPath,
        ran: true,
        agent: { code: verdict.agent.code, name: verdict.agent.name, ...(verdict.agent.docName ? { docName: verdict.agent.docName } : {}) },
        consistency: verdict.consistency,
        snapshot: verdict.snapshot,
        timeoutSeconds: this.plan.timeoutSeconds,
        timeoutLimitSeconds: this.plan.timeoutLimitSeconds,
        pollSeconds: this.plan.pollSeconds,
        environment: this.describeEnvironment(),
        pre: preReport,
        window,
        post: postReport,
        verify,
        warnings: this.warnings,
        differences: scriptDifferences(analysis, this.plan),
      };
    } finally {
      for (const process of this.processes) process.release();
      if (probe) await probe.cleanup().catch(() => undefined);
    }
  }

  private describeEnvironment(): ScriptEnvironment {
    return { shell: 'sh', cwd: this.environment.cwd, path: AGENT_PATH, stdin: '/dev/null', tty: false, asRoot: this.options.asRoot };
  }
}

/**
 * Rehearses a backup: the pre-script, the snapshot window, the post-script, each the way the
 * agent runs it, and the result the agent would report. Runs nothing when the engine predicts
 * the result without the scripts. Never freezes a file system and never kills a script.
 */
export async function rehearse(analysis: AnalysisResult & { configPath: string }, options: RehearseOptions): Promise<RehearsalReport> {
  const plan = planRehearsal(analysis);
  if (!plan.runs) {
    return {
      config: plan.configPath,
      ran: false,
      reason: plan.reason,
      agent: { code: plan.verdict.agent.code, name: plan.verdict.agent.name, ...(plan.verdict.agent.docName ? { docName: plan.verdict.agent.docName } : {}) },
      consistency: plan.verdict.consistency,
      snapshot: plan.verdict.snapshot,
      timeoutSeconds: analysis.effective?.timeoutInSeconds ?? null,
      timeoutLimitSeconds: analysis.effective?.timeoutLimitSeconds ?? null,
      pollSeconds: analysis.effective?.pollSeconds ?? null,
      environment: null,
      pre: NOT_RUN,
      window: null,
      post: NOT_RUN,
      verify: null,
      warnings: [],
      differences: [],
    };
  }
  // The agent's working directory is its extension folder; without one (not an Azure VM, a copy
  // without it) the scripts run from `/`, where a relative path fails as it would on the VM.
  const cwd = findExtensionFolder(options.fileSystem, analysis.pathContext)?.localPath ?? resolveVmPath('/', analysis.pathContext) ?? '/';
  const report = await new Rehearsal(plan, options, { cwd, env: agentEnvironment() }).run(analysis);
  if (!options.asRoot) report.differences.unshift({ code: 'notRoot', message: l10n.t('This rehearsal did not run as root, as the agent does: files and commands only root may use fail here and not on the VM. Run it with sudo.') });
  return report;
}
