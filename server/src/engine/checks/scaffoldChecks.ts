import * as l10n from '@vscode/l10n';
import { DiagnosticCode } from '../codes';
import type { FileInfo } from '../fs/fileSystem';
import type { EngineContext } from '../service/context';
import type { AgentConfigModel } from '../model/agentConfig';
import type { ConfigDocument } from '../parse/configDocument';
import { requiredLockSeconds, SNAPSHOT_WINDOW_SECONDS } from '../scaffold/lockBound';
import type { DiagnosticSink } from './sink';

/** The header of a scaffold lies within its first lines; nothing more is read. */
const HEADER_BYTES = 4096;

export interface ScaffoldTag {
  apps: string;
  needsFreeze: boolean;
}

/** The `# vmsnapshot-scaffold:` line that `vmsnapshot scaffold` writes into every script. */
export function readScaffoldTag(text: string): ScaffoldTag | undefined {
  const match = /^# vmsnapshot-scaffold: apps=([a-z,+]+) needs-freeze=(yes|no)$/m.exec(text);
  return match ? { apps: match[1], needsFreeze: match[2] === 'yes' } : undefined;
}

export interface ScaffoldFacts {
  tag: ScaffoldTag;
  /** The script's own default for lock_seconds, used when the config passes none. */
  ownLockSeconds?: number;
}

function readScaffoldFacts(ctx: EngineContext, path: string): ScaffoldFacts | undefined {
  const bytes = ctx.fileSystem.readFile(path, HEADER_BYTES * 16);
  if (!(bytes instanceof Uint8Array)) return undefined;
  const text = new TextDecoder('utf-8').decode(bytes);
  const tag = readScaffoldTag(text.slice(0, HEADER_BYTES));
  if (!tag) return undefined;
  const own = /^lock_seconds='([0-9]+)'$/m.exec(text);
  return { tag, ownLockSeconds: own ? Number(own[1]) : undefined };
}

/** The bound a scaffolded pre-script gets: its `lock_seconds=` parameter, else its own default. */
function lockSecondsOf(argv: readonly string[] | null | undefined, facts: ScaffoldFacts): number | undefined {
  const parameter = [...(argv ?? [])].reverse().find((arg) => /^lock_seconds=[0-9]+$/.test(arg));
  return parameter ? Number(parameter.slice('lock_seconds='.length)) : facts.ownLockSeconds;
}

/**
 * Checks that only make sense for scripts `vmsnapshot scaffold` wrote: a quiesce bound shorter
 * than the agent's timeline (it can end before the snapshot, and the post-script then reports
 * the failure), and a template that relies on the freeze with fsFreezeEnabled off.
 */
export function checkScaffoldScripts(ctx: EngineContext, document: ConfigDocument, model: AgentConfigModel, pre: { localPath?: string; info?: FileInfo } | undefined, sink: DiagnosticSink): void {
  const effective = model.effective;
  if (!effective || !pre?.localPath || pre.info?.kind !== 'file' || !model.preScript) return;
  const localPath = pre.localPath;
  const facts = ctx.scaffoldFacts.get(localPath, pre.info, () => readScaffoldFacts(ctx, localPath));
  if (!facts) return;
  const tag = facts.tag;

  const lockSeconds = lockSecondsOf(effective.preScriptArgv, facts);
  const limit = effective.timeoutLimitSeconds;
  if (lockSeconds !== undefined && limit !== null) {
    const needed = requiredLockSeconds(limit);
    if (lockSeconds < needed) {
      const node = document.effective.get('preScriptParams')?.valueNode ?? model.preScript.node;
      sink.atNode(node, {
        code: DiagnosticCode.scaffoldLockTooShort,
        severity: 'warning',
        message: l10n.t('The scaffolded pre-script holds its quiesce for lock_seconds={0}, but the agent may need {1} s from its start to the post-script: the pre-script\'s limit ({2} s), the freeze and snapshot window ({3} s) and the post-script\'s limit ({2} s). On a slow day the quiesce ends before the snapshot and the post-script reports a failure. Use lock_seconds={1}.', lockSeconds, needed, limit, SNAPSHOT_WINDOW_SECONDS),
        data: { rule: 'scaffoldLockTooShort', lockSeconds, needed },
      });
    }
  }

  if (tag.needsFreeze && !effective.fsFreezeEnabled) {
    const node = document.effective.get('fsFreezeEnabled')?.valueNode ?? model.preScript.node;
    sink.atNode(node, {
      code: DiagnosticCode.scaffoldNeedsFreeze,
      severity: 'warning',
      message: l10n.t('The scaffolded scripts for {0} rely on the agent\'s file-system freeze for a snapshot that restores; with fsFreezeEnabled off it is only crash-consistent. Set fsFreezeEnabled to true.', tag.apps),
      data: { rule: 'scaffoldNeedsFreeze', apps: tag.apps },
    });
  }
}
