import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import { CONFIG_VM_PATH } from '../engine/codes';
import { resolveVmPath } from '../engine/paths/pathResolution';
import { editDistance } from '../engine/text/editDistance';
import { action } from './action';
import type { FixData } from './fixData';

function isFile(localPath: string | undefined): boolean {
  try {
    return localPath !== undefined && fs.statSync(localPath).isFile();
  } catch {
    return false;
  }
}

/**
 * Where a relative script path most likely meant: beside the config (`/etc/azure/<path>`) or
 * from `/`, whichever exists here.
 */
function absoluteCandidates(relative: string, analysis: AnalysisResult): string[] {
  const candidates = [path.posix.join(path.posix.dirname(CONFIG_VM_PATH), relative), path.posix.join('/', relative)];
  return [...new Set(candidates)].filter((vmPath) => isFile(resolveVmPath(vmPath, analysis.pathContext)));
}

/** A script in the same folder whose name is a typo away from the missing one (`post-scirpt.sh` → `post-script.sh`). */
function similarScript(vmPath: string, localPath: string): string | undefined {
  const wanted = path.basename(localPath);
  let entries: string[];
  try {
    entries = fs.readdirSync(path.dirname(localPath));
  } catch {
    return undefined;
  }
  const allowed = Math.max(1, Math.floor(wanted.length / 6));
  const best = entries
    .map((name) => ({ name, distance: editDistance(name.toLowerCase(), wanted.toLowerCase()) }))
    .filter((entry) => entry.name !== wanted && entry.distance <= allowed && isFile(path.join(path.dirname(localPath), entry.name)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))[0];
  return best && path.posix.join(path.posix.dirname(vmPath), best.name);
}

/**
 * A script path the agent will not find, rewritten to a file that is there: the absolute path of
 * a relative one, or the existing script whose name the config misspells. Offered before
 * "Create …", which would create the misspelt file.
 */
export function scriptPathFixes(analysis: AnalysisResult, uri: string, diagnostic: Diagnostic, data: Extract<FixData, { rule: 'relativePath' | 'scriptNotFound' }>): CodeAction[] {
  const use = (vmPath: string, preferred: boolean) => action(l10n.t('Use {0}', vmPath), diagnostic, uri, [TextEdit.replace(diagnostic.range, JSON.stringify(vmPath))], preferred);
  if (data.rule === 'scriptNotFound') {
    const similar = similarScript(data.vmPath, data.localPath);
    return similar ? [use(similar, true)] : [];
  }
  const document = analysis.document;
  let relative: unknown;
  try {
    relative = JSON.parse(document.text.slice(document.lines.offsetAt(diagnostic.range.start), document.lines.offsetAt(diagnostic.range.end)));
  } catch {
    return [];
  }
  if (typeof relative !== 'string' || relative === '') return [];
  return absoluteCandidates(relative, analysis).map((vmPath, index) => use(vmPath, index === 0));
}
