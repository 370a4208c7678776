/**
 * Writes backup runs the way the agent does, line by line from the templates of
 * agent-logs.md (§2 formats, §3.3 order, §4 templates, §5.2 status), for each outcome the
 * explain tests need. Python 3 lines are UTC, Python 2 lines local time (here: UTC-3).
 */
export const P = '[Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0]';
export const COMPILE_TIME_PREFIX = '[MyBackupTestLinuxInt-0.0]';
export const SNAPSHOT_TOKEN = 'Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw';
export const DD_TOKEN = 'ZGRzbmFwc2hvdC10b2tlbi1zZWNyZXQ';
export const MACHINE_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
export const STORAGE_ACCOUNT = 'md-hdd-x7k2p9q4r1s3';
export const DB_PASSWORD = 'S3cr3t!pass';

export type ScriptOutcomeSpec = 'success' | 'failed' | 'timedOut';

export interface RunSpec {
  python: 2 | 3;
  sequenceNumber: number;
  taskId: string;
  /** UTC start. */
  start: Date;
  scripts: 'none' | 'loaded';
  pre?: ScriptOutcomeSpec;
  post?: ScriptOutcomeSpec;
  exitCode?: number;
  continueBackupOnFailure?: boolean;
  timeoutSeconds?: number;
  freeze?: 'completed' | 'failed' | 'timedOut' | 'hang';
  snapshot?: 'allDisks' | 'partial' | 'host500';
  disks?: number;
  /** Adds the enhanced framework's MySQL pre line with a password (a redaction template). */
  workloadCredentials?: boolean;
  /** The enhanced framework (workload.conf, MySQL) instead of the scripts: its post succeeds, or finds the quiesce gone (510). */
  workload?: 'success' | 'quiesceLost';
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

class Clock {
  private ms: number;
  private micro = 123;
  constructor(start: Date) {
    this.ms = start.getTime();
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
  tick(): Date {
    this.ms += 7;
    this.micro = (this.micro * 7 + 11) % 1000;
    return new Date(this.ms);
  }
  get micros(): string {
    return pad(this.micro, 3);
  }
}

/** Python 2 runs use the VM's local time, here three hours behind UTC. */
const LOCAL_OFFSET_MS = -3 * 60 * 60 * 1000;

function parts(date: Date) {
  return {
    y: date.getUTCFullYear(),
    mo: pad(date.getUTCMonth() + 1),
    d: pad(date.getUTCDate()),
    h: pad(date.getUTCHours()),
    mi: pad(date.getUTCMinutes()),
    s: pad(date.getUTCSeconds()),
    ms: pad(date.getUTCMilliseconds(), 3),
  };
}

export class RunWriter {
  readonly lines: string[] = [];
  /** Lines kept in memory during the freeze (`backuplogger`), written at thaw or at the end. */
  private buffer: string[] | undefined;
  readonly clock: Clock;

  constructor(private readonly spec: RunSpec) {
    this.clock = new Clock(spec.start);
  }

  private outer(date: Date): string {
    if (this.spec.python === 3) {
      const t = parts(date);
      return `${t.y}-${t.mo}-${t.d} ${t.h}:${t.mi}:${t.s}.${t.ms}${this.clock.micros} `;
    }
    const t = parts(new Date(date.getTime() + LOCAL_OFFSET_MS));
    return `${t.y}/${t.mo}/${t.d} ${t.h}:${t.mi}:${t.s} `;
  }

  private inner(date: Date, level: string, message: string): string {
    const t = parts(date);
    if (this.spec.python === 3) return `${t.y}/${t.mo}/${t.d} ${t.h}:${t.mi}:${t.s}.${t.ms}${this.clock.micros}  ${level}  ${message} `;
    return `${this.outer(date)}${t.y}-${t.mo}-${t.d} ${t.h}:${t.mi}:${t.s}.${t.ms}${this.clock.micros}  ${level}  ${message} `;
  }

  /** A line as HandlerUtil.log or backuplogger.log writes it (buffered during the freeze). */
  log(message: string, level = 'Info', prefix = P): void {
    const date = this.clock.tick();
    if (this.buffer) this.buffer.push(this.inner(date, level, message));
    else this.lines.push(`${this.outer(date)}${prefix}${message}`);
  }

  /** HandlerUtil.log straight to the file: never buffered (status reports). */
  direct(message: string): void {
    this.lines.push(`${this.outer(this.clock.tick())}${P}${message}`);
  }

  /** A line of the safefreeze binary, local time in seconds, read by the agent after the fact. */
  binary(message: string): void {
    const t = parts(new Date(this.clock.tick().getTime() + LOCAL_OFFSET_MS));
    this.log(`${t.y}-${t.mo}-${t.d} ${t.h}:${t.mi}:${t.s} ${message}`);
  }

  startBuffering(): void {
    this.buffer = [];
  }

  /** Writes the buffered lines as a "Logs during Freeze" block. */
  flush(withEnd: boolean): void {
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    const banner = '================== Logs during Freeze Start ==============';
    if (this.spec.python === 3) this.lines.push(`${this.outer(this.clock.tick())}${P}${banner}`);
    else this.lines.push(`${this.outer(this.clock.tick())}${P}${banner}`);
    this.lines.push(...buffered);
    if (withEnd) this.lines.push('================== Logs during Freeze End ==============', '');
  }

  /** Drops what is buffered: the VM hung and the buffer was never written. */
  lose(): void {
    this.buffer = undefined;
  }
}

export function statusJson(spec: { code: number; taskId: string; healthCode: number; snapshotConsistency: number; disks?: boolean[]; word: string; terminal: boolean }): string {
  const names: Record<number, string> = { 0: 'success_appconsistent', 1: 'success', 4: 'ExtensionTempTerminalState', 76: 'FailedRetryableSnapshotFailedNoNetwork', 301: 'FailedPrepostPostScriptFailed', 308: 'FailedPrepostPreScriptTimeout', 316: 'FailedPrepostPluginConfigNotFound', 121: 'FailedRetryableFsFreezeFailed', 122: 'FailedRetryableFsFreezeTimeout', 761: 'FailedRetryableSnapshotFailedRestrictedNetwork' };
  const message = JSON.stringify({ messageStr: 'snapshotCreator=backupHostService, hostStatusCodePreSnapshot=200, hostStatusCodeDoSnapshot=200, ', snapshotConsistency: spec.snapshotConsistency, jobMessage: null, isSizeComputationFailed: false });
  const common = {
    name: 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux',
    operation: 'Enable',
    code: String(spec.code),
    taskId: spec.taskId,
    commandStartTimeUTCTicks: '639000000000000000',
    formattedMessage: { lang: 'en-US', message },
    storageDetails: { partitionCount: 2, totalUsedSizeInBytes: 1234567, isStoragespacePresent: false, isSizeComputationFailed: false },
    uniqueMachineId: MACHINE_ID,
  };
  const report = [
    {
      version: '1.0',
      timestampUTC: '\\/Date(1764685600000)\\/',
      status: {
        ...common,
        status: spec.word,
        telemetryData: [
          { Key: 'extErrorCode', Value: names[spec.healthCode] ?? 'success' },
          { Key: 'snapshotCreator', Value: 'backupHostService' },
          { Key: 'consistencyType', Value: 'none' },
        ],
        snapshotInfo: spec.disks?.map((ok, index) => ({
          snapshotUri: `https://${STORAGE_ACCOUNT}.blob.core.windows.net/vhds/disk${index}.vhd?snapshot=2026-12-02T14:26:52.0000000Z`,
          isSuccessful: ok ? 'true' : 'false',
          errorMessage: ok ? '' : 'RestrictedNetwork',
          blobUri: `https://${STORAGE_ACCOUNT}.blob.core.windows.net/vhds/disk${index}.vhd`,
          directDriveSnapshotIdentifier: { creationTime: '2026-12-02T14:26:52Z', id: `dd-${index}`, token: DD_TOKEN, instantAccessDurationMinutes: 0 },
        })) ?? null,
        vmHealthInfo: { vmHealthState: spec.healthCode > 1 ? 128 : 0, vmHealthStatusCode: spec.healthCode },
        substatus: null,
      },
    },
  ];
  return JSON.stringify([
    {
      version: '1.0',
      timestampUTC: '2026-12-02T14:26:59Z',
      status: {
        ...common,
        status: spec.terminal ? 'success' : 'transitioning',
        telemetryData: null,
        snapshotInfo: null,
        vmHealthInfo: null,
        substatus: [{ code: '0', status: 'success', formattedMessage: null, name: JSON.stringify(report) }],
      },
    },
  ]);
}

const EXT_DIR = '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0';

/** The lines of one run (enable + daemon), and its expected final and health codes. */
export function writeRun(spec: RunSpec): { text: string; finalCode: number | null; healthCode: number | null } {
  const w = new RunWriter(spec);
  const seq = spec.sequenceNumber;
  const cont = spec.continueBackupOnFailure ?? true;
  const timeout = spec.timeoutSeconds ?? 10;
  const diskCount = spec.disks ?? 1;

  const context = () => {
    w.log(`try_parse_context : Sequence Number received ${seq}`, 'Info', COMPILE_TIME_PREFIX);
    w.log(`cwd is ${EXT_DIR}`, 'Info', COMPILE_TIME_PREFIX);
    w.log(`sequence number from environment variable is ${seq}`);
    w.log(`setting file path is${EXT_DIR}/config/${seq}.settings`);
  };

  // enable
  context();
  w.log('starting enable');
  w.log(`set most recent sequence number to ${seq}`);
  w.log('Reading customSettings from public_settings');
  w.log(`taskId: ${spec.taskId}`);
  w.log('Sleeping for milliseconds: 2345');
  w.direct('Enable,success,4,Transitioning state in extension,False');
  w.direct('partition count : 2, total used size : 1234567, is storage space present : False, is size computation failed : False');
  w.direct(`Unique Machine Id  : ${MACHINE_ID}`);
  w.direct(`file status report message:${statusJson({ code: 4, taskId: spec.taskId, healthCode: 1, snapshotConsistency: 0, word: 'transitioning', terminal: false })}`);

  // daemon
  w.clock.advance(3);
  context();
  w.log('starting daemon initially', 'Warning');
  w.log('safeFreezeBinary exists True');
  w.log(' configfile /etc/azure/vmbackup.conf');
  w.log('final thread timeout60');
  w.log('removing the protected settings');
  w.log(`snapshotTaskToken : ${SNAPSHOT_TOKEN}`);
  w.log('hostIp : 168.63.129.16');
  w.log(`customSettings : {"backupTaskId": "${spec.taskId}", "isManagedVm": true}`);
  w.log(`Host Request body : {"taskId": "${spec.taskId}", "snapshotTaskToken": "${SNAPSHOT_TOKEN}", "preSnapshotSettings": null}`);
  w.log('The command snapshot is being validated');
  w.log('commandToExecute for backup is snapshot');
  w.log('WorkloadPatch: Entering workload config parsing');
  w.log('WorkloadPatch: config section present for workloads ');
  if (spec.workloadCredentials) w.log(`WorkloadPatch: command to execute: sudo -u root mysql -uroot -p${DB_PASSWORD} -e"set @timeout=60; select sleep(1)"`);
  let preFailedCode: number | undefined;
  let postFailedCode: number | undefined;
  let healthCode = 1;
  let runScripts = false;
  if (spec.workload) {
    w.log('WorkloadPatch: config workload command mysql');
    w.log('workload backup enabled for workload: mysql');
    w.log('WorkloadPatch: Entering workload pre call');
    w.log(`WorkloadPatch: command to execute: sudo mysql -uroot -p${DB_PASSWORD} -e"set @timeout=60; flush tables with read lock"`);
    w.log('WorkloadPatch: pre success is true');
  } else {
    w.log('Loading script modules now...');
    w.log('Plugin host Config file does not exist in the location /etc/azure/VMSnapshotPluginHost.conf');
  }
  if (spec.workload) {
    // Scripts replaced by the enhanced framework.
  } else if (spec.scripts === 'none') {
    w.log('Plugin host file does not exist in the location /etc/azure/VMSnapshotScriptPluginConfig.json', 'Error');
    w.log('Validate Scripts output: errorCode - 316 dobackup - True fsFreeze_on - True pollTime - 3');
    w.log('Triggering File System Consistent Backup because of error code StatusCode.FailedPrepostPluginConfigNotFound,');
    healthCode = 316;
  } else {
    runScripts = true;
    w.log('config file: /etc/azure/VMSnapshotScriptPluginConfig.json');
    w.log('timeoutInSeconds: 1800');
    w.log('numberOfPlugins: 1');
    w.log('Name of the Plugin is script');
    w.log(`Plugin:script timeout:${timeout} pollTotalCount:${Math.ceil(timeout / 3)} preScriptParams:[] postScriptParams:[] continueBackupOnFailure:${cont ? 'True' : 'False'} preScriptNoOfRetries:2 postScriptNoOfRetries:2 Global FS Freeze on :True`);
    w.log(`Validate Scripts output: errorCode - 0 dobackup - ${cont ? 'True' : 'False'} fsFreeze_on - True pollTime - 3`);
    w.log('App Consistent Consistent Backup Enabled');
  }

  const runSide = (side: 'pre' | 'post', outcome: ScriptOutcomeSpec): boolean => {
    const Word = side === 'pre' ? 'Prescript' : 'Postscript';
    if (side === 'post') w.log('Starting postscript for all modules.');
    w.log(`Running ${side}script for script module...`);
    if (outcome === 'success') {
      w.clock.advance(2);
      w.log(`${Word} for script successfully executed.`);
    } else if (outcome === 'timedOut') {
      w.clock.advance(Math.ceil(timeout / 3) * 3);
      w.log(`${Word} for script timed out.`);
    } else {
      w.clock.advance(1);
      w.log(`${Word} for script failed. Retrying...`);
      w.log(`${Word} for script failed. Retrying...`);
      w.log(`${Word} for script failed with error code: ${spec.exitCode ?? 1} .`);
    }
    const ok = outcome === 'success';
    w.log(`Finished ${side}script execution from PluginHost side. Continue Backup: ${ok || cont ? 'True' : 'False'}`);
    return ok;
  };

  let doBackup = true;
  if (runScripts) {
    const preOk = runSide('pre', spec.pre ?? 'success');
    if (!preOk) {
      preFailedCode = spec.pre === 'timedOut' ? 308 : 300;
      healthCode = preFailedCode;
      if (!cont) {
        doBackup = false;
        w.log(`PreScript failed for the plugin script StatusCode.${preFailedCode === 308 ? 'FailedPrepostPreScriptTimeout' : 'FailedPrepostPreScriptFailed'},`);
      }
    }
  }

  let finalCode: number | null = null;
  let freezeFailure: number | undefined;
  let disksOk: boolean[] = [];
  let flushAtEnd = false;
  if (doBackup) {
    w.log('Calling do snapshot method');
    w.log(`isManagedVm=True, canTakeCrashConsistentSnapshot=False, backupRetryCount=0, numberOfDisks=${diskCount}, takeCrashConsistentSnapshot=False`);
    w.log('start calling the presnapshot rest api');
    w.log('PreSnapshot: Status Code: 200');
    w.log('Taking Snapshot through Host');
    w.log('T:S freeze, timeout value 60');
    w.log('skipped mount :');
    w.log('fsfreeze mount :/');
    w.log('fsfreeze mount :/data');
    w.log("arg : ['/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0/main/safefreeze/bin/safefreeze', '60', '/data', '/']");
    w.log('proceeded for accepting signals');
    w.startBuffering();
    w.log(' ... SafeFreezeLockFile file opened Sucessfully');
    w.log('Aquiring lock succeeded');
    w.log('Thread for binary is called');
    w.log('****** 1. Starting Freeze Binary ');
    w.log('Binary subprocess Created');
    const freeze = spec.freeze ?? 'completed';
    if (freeze === 'hang') {
      w.lose();
      return { text: w.lines.join('\n') + '\n', finalCode: null, healthCode: null };
    }
    if (freeze === 'completed') {
      w.log('freezed');
      w.log('****** 4. Freeze Completed (Signal=1 received)');
      w.log('Binary output for signal handled: 1');
      w.log('freeze_safe after returning from startproc : sig_handle=1');
      w.log('T:S ***** freeze, time_before_freeze=2026-12-02 14:26:48, time_after_freeze=2026-12-02 14:26:49, freezeTimeTaken=0:00:01');
      w.log('T:S freeze result , timedout :False');
      w.log('start calling the snapshot rest api');
      w.log('****** 5. Snaphotting (Host) Started');
      w.log(`Host Request body : {"taskId": "${spec.taskId}", "snapshotTaskToken": "${SNAPSHOT_TOKEN}", "snapshotMode": "host"}`);
      w.log('dosnapshot responseBody: {"snapshotInfo": []}');
      w.log('****** 6. Snaphotting (Host) Completed');
      w.log('child process still running');
      w.log('****** 7. Sending Thaw Signal to Binary');
      w.log('child still running sigusr1 sent');
      w.log('some child process terminated');
      w.log('binary child terminated');
      w.log('****** 9. Binary Process completed (Signal=2 received)');
      w.flush(true);
      w.log('============== Binary output traces start ================= ');
      w.binary('****** 2. Binary Freeze Started ');
      w.binary('Freezing: /data');
      w.binary('Freezing: /');
      w.binary('****** 3. Binary Freeze Completed ');
      w.binary('sleep for 1 second ');
      w.binary('****** 8. Binary Thaw Signal Received ');
      w.binary('Thawing: /');
      w.binary('Thawing: /data');
      w.log('============== Binary output traces end ================= ');
      w.log('T:S thaw result ');
      const snapshot = spec.snapshot ?? 'allDisks';
      disksOk = Array.from({ length: diskCount }, (_, index) => snapshot === 'allDisks' || (snapshot === 'partial' && index === 0));
      for (const [index, ok] of disksOk.entries()) {
        w.log(`From Host- IsSuccessful:${ok ? 'true' : 'false'}, SnapshotUri:https://${STORAGE_ACCOUNT}.blob.core.windows.net/vhds/disk${index}.vhd?snapshot=2026-12-02T14:26:52.0000000Z, ErrorMessage:${ok ? '' : snapshot === 'host500' ? 'InternalServerError' : 'RestrictedNetwork'}, StatusCode:${ok ? 200 : snapshot === 'host500' ? 500 : 403}`);
        if (ok) w.log(`ddSnapshotIdentifier Information from Host- creationTime : 2026-12-02T14:26:52Z, id : dd-${index}, token : ${DD_TOKEN}, instantAccessDurationMinutes : 0`);
      }
      w.log('T:S takeSnapshotFromHost, time_before_snapshot=2026-12-02 14:26:49, snapshotTimeTaken=0:00:03');
      w.log('T:S snapshotall ends...');
      const allFailed = disksOk.every((ok) => !ok);
      w.log(`doFreezeSnapshot : run_result - ${allFailed ? 2 : 1} run_status - ${allFailed ? 'error' : 'success'} all_failed - ${allFailed ? 'True' : 'False'} unable_to_sleep - False is_inconsistent - False values post snapshot`);
      if (snapshot === 'partial') {
        w.log('T:S Enable failed with FailedRetryableSnapshotFailedRestrictedNetwork errror StatusCode.FailedRetryableSnapshotFailedRestrictedNetwork,', 'Error');
        finalCode = 76;
        healthCode = healthCode === 1 || healthCode === 316 ? 761 : healthCode;
      } else if (snapshot === 'host500') {
        w.log('T:S Enable failed with FailedHostSnapshotRemoteServerError error StatusCode.FailedHostSnapshotRemoteServerError,', 'Error');
        finalCode = 556;
      }
    } else {
      // Failed or timed out: the binary's output is read inside the block, nothing is flushed until the very end.
      if (freeze === 'failed') {
        w.log('some child process terminated');
        w.log('binary child terminated');
        w.log('****** 9. Binary Process completed (Signal=2 received)');
        w.log('Binary output for signal handled: 2');
        w.log('freeze_safe after returning from startproc : sig_handle=2');
        w.log('============== Binary output traces start ================= ');
        w.binary('****** 2. Binary Freeze Started ');
        w.binary('Freezing: /data');
        w.binary('Failed to FIFREEZE: /data with error message: Device or resource busy');
        w.binary('Failed to FITHAW: / with error message : Invalid argument');
        w.log('============== Binary output traces end ================= ');
        w.log('freeze failed for some mount');
        w.log("T:S freeze result [FreezeError(errno=1, path='/data')], timedout :False");
        w.log('T:S Enable failed with error: freeze failed for some mount StatusCode.FailedRetryableFsFreezeFailed,', 'Warning');
        freezeFailure = 121;
      } else {
        w.clock.advance(66);
        w.log('Binary output for signal handled: 0');
        w.log('freeze_safe after returning from startproc : sig_handle=0');
        w.log('============== Binary output traces start ================= ');
        w.binary('****** 2. Binary Freeze Started ');
        w.binary('Freezing: /data');
        w.log('============== Binary output traces end ================= ');
        w.log('freeze timed-out');
        w.log('T:S freeze result [], timedout :True');
        w.log('T:S ###### Enable failed with error: freeze took longer than timeout StatusCode.FailedRetryableFsFreezeTimeout,', 'Error');
        freezeFailure = 122;
      }
      finalCode = freezeFailure;
      if (healthCode === 1 || healthCode === 316) healthCode = freezeFailure;
      flushAtEnd = true;
    }
  }

  if (spec.workload && doBackup && finalCode === null) {
    w.log('WorkloadPatch: Entering workload post call');
    if (spec.workload === 'success') {
      w.log('WorkloadPatch: post succeeded');
      w.log('Enable Succeeded with App Consistent Snapshot');
      finalCode = 0;
      healthCode = 0;
    } else {
      w.log('WorkloadPatch: Not app consistent backup');
      w.log('Workload Patch failed with warning message: quiesce window expired StatusCode.FailedWorkloadQuiescingTimeout,');
      finalCode = 1;
      healthCode = 510;
    }
  }
  if (runScripts) {
    const postOk = runSide('post', spec.post ?? 'success');
    if (!postOk) {
      postFailedCode = spec.post === 'timedOut' ? 309 : 301;
      if (healthCode === 1) healthCode = postFailedCode;
      if (!cont) w.log(`PostScript failed for the plugin script StatusCode.${postFailedCode === 309 ? 'FailedPrepostPostScriptTimeout' : 'FailedPrepostPostScriptFailed'},`);
    }
  }

  if (finalCode === null) {
    if (!doBackup) finalCode = preFailedCode!;
    else if (!cont && postFailedCode) finalCode = postFailedCode;
    else if (runScripts && !preFailedCode && !postFailedCode) {
      w.log('Enable Succeeded with App Consistent Snapshot');
      finalCode = 0;
      healthCode = 0;
    } else finalCode = 1;
  }
  w.direct('Assertion Check, total size : 1234567 ,maximum_possible_size : 99999999');
  const word = finalCode === 0 || finalCode === 1 || finalCode === 76 || finalCode === 556 ? 'success' : 'error';
  const message = finalCode === 0 || finalCode === 1 ? '' : 'Enable failed';
  w.direct(`Enable,${word},${finalCode},${message},False`);
  if (finalCode === 556) {
    w.direct('cannot get status report parameters , Exception 556, stack trace: Traceback (most recent call last):');
    w.lines.push('KeyError: 556');
    w.direct('Status file creation failed with error: 556');
    w.direct('file status report message:');
    w.lines.push('None');
  } else {
    w.direct(`Unique Machine Id  : ${MACHINE_ID}`);
    w.direct(`file status report message:${statusJson({ code: finalCode, taskId: spec.taskId, healthCode, snapshotConsistency: 0, disks: disksOk.length > 0 ? disksOk : undefined, word: finalCode <= 1 ? 'success' : 'error', terminal: true })}`);
  }
  w.direct('the logs blob uri is not there, so do not upload log.');
  if (flushAtEnd) w.flush(false);
  return { text: w.lines.join('\n') + '\n', finalCode, healthCode: finalCode === 556 ? null : healthCode };
}

export const TASK_A = '6c2f1a3e-9b4d-4e8f-a1b2-c3d4e5f6a7b8';
export const TASK_B = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export function spec(overrides: Partial<RunSpec>): RunSpec {
  return { python: 3, sequenceNumber: 12, taskId: TASK_A, start: new Date(Date.UTC(2026, 11, 2, 14, 26, 40)), scripts: 'loaded', ...overrides };
}
