import * as crypto from 'crypto';
import * as os from 'os';
import type { Clock, ProgramRunner } from '../service/processes';
import type { EngineDiagnostic } from '../types';
import { checkScript, mergeShellCheck, worthShellChecking } from './index';
import { defaultShellCheckTimeoutMs, runShellCheck } from './shellcheck';
import { decodeScript, defaultMaxScriptBytes } from './scriptText';

/** Anything with `isCancellationRequested`, such as an LSP cancellation token. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export interface ShellCheckRequest {
  bytes: Uint8Array;
  shellcheckPath: string;
  /** The file's real size, when only its first bytes were read. */
  fileSize?: number;
  /** Put on every finding as `file`. */
  file?: string;
  /**
   * Requests with the same key supersede each other (an editor document being typed in): a
   * request still waiting when a newer one comes answers `undefined`.
   */
  key?: string;
  token?: Cancellation;
}

export interface SchedulerOptions {
  /** At most this many ShellCheck processes at once. */
  concurrency?: number;
  /** Wait this long before starting, so that a burst of keystrokes runs ShellCheck once. */
  throttleMs?: number;
  cacheEntries?: number;
  timeoutMs?: number;
}

/**
 * ShellCheck for the server and the CLI alike: one run per distinct script content (a fleet's
 * VMs share scripts; an editor re-checks unchanged text), a bounded number at once, a throttle
 * for bursts and cancellation of what nobody waits for any more.
 */
export class ShellCheckScheduler {
  private readonly byContent = new Map<string, Promise<EngineDiagnostic[]>>();
  private readonly latestByKey = new Map<string, number>();
  private sequence = 0;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly throttleMs: number;
  private readonly cacheEntries: number;
  private readonly timeoutMs: number;

  constructor(private readonly run: ProgramRunner, private readonly clock: Clock, options: SchedulerOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? os.availableParallelism());
    this.throttleMs = options.throttleMs ?? 0;
    this.cacheEntries = options.cacheEntries ?? 256;
    this.timeoutMs = options.timeoutMs ?? defaultShellCheckTimeoutMs;
  }

  /** The built-in findings merged with ShellCheck's, or undefined when superseded or cancelled. */
  async check(request: ShellCheckRequest): Promise<EngineDiagnostic[] | undefined> {
    const ticket = ++this.sequence;
    if (request.key !== undefined) this.latestByKey.set(request.key, ticket);
    const stale = () => request.token?.isCancellationRequested === true || (request.key !== undefined && this.latestByKey.get(request.key) !== ticket);
    const fileSize = request.fileSize ?? request.bytes.length;
    const contentKey = `${request.shellcheckPath}\0${fileSize}:${crypto.createHash('sha256').update(request.bytes).digest('hex')}`;
    let pending = this.byContent.get(contentKey);
    if (!pending) {
      if (this.throttleMs > 0) await this.clock.delay(this.throttleMs);
      if (stale()) return undefined;
      // Looked up again: the same content may have started while this request was waiting.
      pending = this.byContent.get(contentKey) ?? this.start(contentKey, request.bytes, fileSize, request.shellcheckPath);
    }
    const merged = await pending;
    if (request.key !== undefined && this.latestByKey.get(request.key) === ticket) this.latestByKey.delete(request.key);
    if (request.token?.isCancellationRequested) return undefined;
    return request.file === undefined ? merged : merged.map((diagnostic) => ({ ...diagnostic, file: request.file }));
  }

  private start(contentKey: string, bytes: Uint8Array, fileSize: number, shellcheckPath: string): Promise<EngineDiagnostic[]> {
    const pending = this.inSlot(async () => {
      const builtIn = checkScript(bytes, { fileSize });
      if (!worthShellChecking(builtIn)) return builtIn;
      const script = decodeScript(bytes, defaultMaxScriptBytes, fileSize);
      return mergeShellCheck(builtIn, await runShellCheck(this.run, script.text, shellcheckPath, this.timeoutMs));
    });
    if (this.byContent.size >= this.cacheEntries) this.byContent.delete(this.byContent.keys().next().value!);
    this.byContent.set(contentKey, pending);
    return pending;
  }

  private async inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  clear(): void {
    this.byContent.clear();
  }
}
