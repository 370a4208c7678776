import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Range, TextEdit } from 'vscode-languageserver';
import { findAssetsRoot } from '../engine/assets';

/**
 * The shell snippets for pre/post scripts, served by the language server rather than contributed
 * as a VS Code snippet file: VS Code has no way to translate a snippet file's labels and
 * descriptions, and its own snippets rank below plain words from other files.
 */
interface SnippetBody {
  prefix: string[];
  body: string[];
}

export type ShellSnippetId = 'preamble' | 'lock' | 'stateFile' | 'stateDir';

/** Label and description of each snippet in snippets/shellscript.json, in the display language. */
const SNIPPET_TEXTS: Record<ShellSnippetId, () => { label: string; description: string }> = {
  preamble: () => ({
    label: l10n.t('VM snapshot: logging preamble'),
    description: l10n.t('POSIX sh preamble for a pre/post script: the agent runs `sh script params…` and never reads stdout/stderr (a 64 KiB pipe blocks the script), so everything goes to a log file.'),
  }),
  lock: () => ({
    label: l10n.t('VM snapshot: lock held with a timeout'),
    description: l10n.t('Hold a lock in a background session that ends by itself after lock_seconds, so a lost post-script cannot freeze the application; its pid goes to a state file for the post-script.'),
  }),
  stateFile: () => ({
    label: l10n.t('VM snapshot: state file (post-script side)'),
    description: l10n.t('In the post-script: stop exactly the process the pre-script recorded (pid plus start time, so a reused pid is never killed), and succeed when there is nothing to undo.'),
  }),
  stateDir: () => ({
    label: l10n.t('VM snapshot: state folder'),
    description: l10n.t('A root-only state folder under /run (emptied at boot, like the processes it names), refusing a symbolic link.'),
  }),
};

let loaded: Record<ShellSnippetId, SnippetBody> | undefined;

export function loadShellSnippets(): Record<ShellSnippetId, SnippetBody> {
  loaded ??= JSON.parse(fs.readFileSync(path.join(findAssetsRoot(), 'snippets', 'shellscript.json'), 'utf8')) as Record<ShellSnippetId, SnippetBody>;
  return loaded;
}

/**
 * The snippets whose prefix starts with the word being typed at `offset`, and all of them at the
 * start of a line before anything is typed (Ctrl+Space on an empty line: VS Code keeps an empty
 * answer for the whole word the user then types, so nothing there meant no snippets at all).
 * Elsewhere nothing, so that VS Code's word-based suggestions still work in the rest of the script.
 */
export function completeShellSnippets(text: string, offset: number, positionAt: (offset: number) => Range['start']): CompletionItem[] {
  let start = offset;
  while (start > 0 && /[\w-]/.test(text[start - 1])) start--;
  const typed = text.slice(start, offset).toLowerCase();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (typed === '' && !/^[ \t]*$/.test(text.slice(lineStart, start))) return [];
  const range = Range.create(positionAt(start), positionAt(offset));
  const items: CompletionItem[] = [];
  for (const [id, snippet] of Object.entries(loadShellSnippets()) as Array<[ShellSnippetId, SnippetBody]>) {
    const prefix = snippet.prefix.find((candidate) => candidate.startsWith(typed));
    if (!prefix) continue;
    const { label, description } = SNIPPET_TEXTS[id]();
    items.push({
      label: prefix,
      labelDetails: { description: label },
      kind: CompletionItemKind.Snippet,
      detail: label,
      documentation: { kind: MarkupKind.Markdown, value: description },
      // Ahead of words from other files, which VS Code otherwise ranks first.
      sortText: `0${prefix}`,
      filterText: prefix,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: TextEdit.replace(range, snippet.body.join('\n')),
    });
  }
  return items;
}
