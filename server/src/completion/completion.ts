import * as fs from 'fs';
import * as path from 'path';
import { getLocation, Location } from 'jsonc-parser';
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Range, TextEdit } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import * as l10n from '@vscode/l10n';
import { CONFIG_KEYS, ConfigKeyInfo, configSkeletonLines, findKeyInfo } from '../engine/model/keys';
import { resolveVmPath } from '../engine/paths/pathResolution';

const MAX_PATH_ITEMS = 500;

function keyDocumentation(info: ConfigKeyInfo) {
  const defaultLine = info.agentDefault === undefined ? '' : `\n\n${l10n.t('Agent default: `{0}`', JSON.stringify(info.agentDefault))}`;
  return { kind: MarkupKind.Markdown, value: `${info.describe()}${defaultLine}` };
}

/**
 * The whole config, offered in an empty file and while its first word is typed (the README's
 * `vmsnapshot` prefix): ranked first, and replacing the typed word rather than adding to it.
 */
function skeleton(range: Range): CompletionItem {
  const body = configSkeletonLines('\t').join('\n');
  return {
    label: l10n.t('Pre/post script config'),
    kind: CompletionItemKind.Snippet,
    textEdit: TextEdit.replace(range, body),
    insertTextFormat: InsertTextFormat.Snippet,
    filterText: 'vmsnapshot config',
    sortText: '0',
    preselect: true,
    detail: l10n.t('A complete config with the agent\'s safe values'),
  };
}

/** Start of the word being typed at `offset`: letters, digits, quotes and `$` of a key. */
function wordStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && /[\w"$-]/.test(text[start - 1])) start--;
  return start;
}

/**
 * The end of a top-level value that the typed word follows with only blanks in between: a new
 * key on the line after `"key": value` still needs the comma the previous line lacks.
 */
function valueEndBefore(analysis: AnalysisResult, start: number): number | undefined {
  const text = analysis.document.text;
  let end = start;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  if (end === start) return undefined;
  const property = analysis.document.properties.find((candidate) => candidate.valueNode && candidate.valueNode.offset + candidate.valueNode.length === end);
  return property ? end : undefined;
}

/** Keys not yet in the object, each inserting `"key": value` with the agent's default. */
function keyItems(analysis: AnalysisResult, offset: number, commaAt?: number): CompletionItem[] {
  const { document } = analysis;
  const text = document.text;
  const current = document.properties.find((property) => offset >= property.keyNode.offset && offset <= property.keyNode.offset + property.keyNode.length);
  const present = new Set(document.properties.filter((property) => property !== current).map((property) => property.key));
  let replaceStart = offset;
  let replaceEnd = offset;
  if (current) {
    replaceStart = current.keyNode.offset;
    replaceEnd = current.keyNode.offset + current.keyNode.length;
  } else {
    replaceStart = wordStart(text, offset);
    // The editor closed the quote that was typed: replace both.
    if (text[replaceStart] === '"' && text[offset] === '"') replaceEnd = offset + 1;
  }
  const hasColon = current !== undefined && /^\s*:/.test(text.slice(replaceEnd));
  const nextChar = text.slice(replaceEnd).trimStart()[0];
  const needsComma = !hasColon && nextChar === '"';
  const range = Range.create(document.lines.positionAt(replaceStart), document.lines.positionAt(replaceEnd));
  const missingComma = commaAt === undefined ? undefined : [TextEdit.insert(document.lines.positionAt(commaAt), ',')];
  return CONFIG_KEYS.filter((info) => !present.has(info.key)).map((info, index) => ({
    label: info.key,
    kind: CompletionItemKind.Property,
    detail: info.required ? l10n.t('required') : undefined,
    documentation: keyDocumentation(info),
    sortText: `${info.required ? 0 : 1}${String(index).padStart(2, '0')}`,
    filterText: text[replaceStart] === '"' ? `"${info.key}"` : info.key,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: TextEdit.replace(range, hasColon ? `"${info.key}"` : `"${info.key}": ${info.snippet}${needsComma ? ',' : ''}`),
    additionalTextEdits: missingComma,
  }));
}

function valueItems(info: ConfigKeyInfo): CompletionItem[] {
  switch (info.key) {
    case 'continueBackupOnFailure':
    case 'fsFreezeEnabled':
      return [true, false].map((value) => ({
        label: String(value),
        kind: CompletionItemKind.Value,
        detail: value === info.agentDefault ? l10n.t('agent default') : undefined,
      }));
    case 'ScriptsExecutionPollTimeSeconds':
      return [1, 2, 3, 4, 5].map((value) => ({
        label: String(value),
        kind: CompletionItemKind.Value,
        detail: value === info.agentDefault ? l10n.t('agent default') : undefined,
      }));
    case 'timeoutInSeconds':
      return [30, 60, 300, 1800].map((value) => ({ label: String(value), kind: CompletionItemKind.Value, detail: l10n.t('seconds') }));
    case 'pluginName':
      return [{ label: '"ScriptRunner"', kind: CompletionItemKind.Value }];
    default:
      return [];
  }
}

interface FolderListing {
  mtimeMs: number;
  entries: fs.Dirent[];
  /** The entries by their name's first letter, lower-cased: what is offered once one is typed. */
  byFirstLetter?: Map<string, fs.Dirent[]>;
}

const folderListings = new Map<string, FolderListing>();

/**
 * A folder's entries, read again only when the folder changed: completion runs on every
 * keystroke inside a path, and /etc or a big /opt can hold thousands of entries.
 */
function listFolder(folder: string): FolderListing | undefined {
  let mtimeMs: number | undefined;
  let entries: fs.Dirent[];
  try {
    mtimeMs = fs.statSync(folder, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) return undefined;
    const cached = folderListings.get(folder);
    if (cached?.mtimeMs === mtimeMs) return cached;
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return undefined; // unreadable, or a typed path no file system accepts (a NUL byte)
  }
  if (folderListings.size >= 32) folderListings.delete(folderListings.keys().next().value!);
  const listing = { mtimeMs, entries };
  folderListings.set(folder, listing);
  return listing;
}

/**
 * Editors filter fuzzily but from the first letter on: what does not start with it is noise.
 * Grouped once per listing, not lower-cased again for every entry on every keystroke.
 */
function entriesStartingWith(listing: FolderListing, letter: string | undefined): fs.Dirent[] {
  if (letter === undefined) return listing.entries;
  if (!listing.byFirstLetter) {
    listing.byFirstLetter = new Map();
    for (const entry of listing.entries) {
      const first = entry.name.toLowerCase().charAt(0);
      const group = listing.byFirstLetter.get(first);
      if (group) group.push(entry);
      else listing.byFirstLetter.set(first, [entry]);
    }
  }
  return listing.byFirstLetter.get(letter) ?? [];
}

/** Absolute-path completion inside the script locations, listing the VM's folders as this machine sees them. */
function pathItems(analysis: AnalysisResult, offset: number, location: Location): CompletionItem[] {
  const { document } = analysis;
  const valueNode = document.root && location.previousNode;
  if (!valueNode || valueNode.type !== 'string') return [];
  const typed = document.text.slice(valueNode.offset + 1, offset);
  if (!typed.startsWith('/')) return [];
  const folderVmPath = typed.slice(0, typed.lastIndexOf('/') + 1);
  const localFolder = resolveVmPath(folderVmPath, analysis.pathContext);
  if (!localFolder) return [];
  const partial = typed.slice(folderVmPath.length).toLowerCase();
  const listing = listFolder(localFolder);
  const entries = listing ? entriesStartingWith(listing, partial ? partial.charAt(0) : undefined) : [];
  const start = document.lines.positionAt(valueNode.offset + 1 + folderVmPath.length);
  const end = document.lines.positionAt(Math.max(offset, valueNode.offset + valueNode.length - 1));
  return entries.slice(0, MAX_PATH_ITEMS).map((entry) => {
    const isFolder = entry.isDirectory();
    const name = isFolder ? `${entry.name}/` : entry.name;
    return {
      label: name,
      kind: isFolder ? CompletionItemKind.Folder : CompletionItemKind.File,
      detail: path.posix.join(folderVmPath, entry.name),
      sortText: `${isFolder ? 1 : 0}${entry.name}`,
      textEdit: TextEdit.replace(Range.create(start, end), name),
      command: isFolder ? { title: 'suggest', command: 'editor.action.triggerSuggest' } : undefined,
    };
  });
}

export function completeConfig(analysis: AnalysisResult, offset: number): CompletionItem[] {
  const text = analysis.document.text;
  const start = wordStart(text, offset);
  if (text.slice(0, start).trim() === '' && text.slice(offset).trim() === '') {
    return [skeleton(Range.create(analysis.document.lines.positionAt(start), analysis.document.lines.positionAt(offset)))];
  }
  const location = getLocation(text, offset);
  const valueEnd = valueEndBefore(analysis, start);
  if (location.path.length === 1 && valueEnd !== undefined) return keyItems(analysis, offset, valueEnd);
  if (location.path.length === 1 && location.isAtPropertyKey) return keyItems(analysis, offset);
  if (location.path.length === 1 && !location.isAtPropertyKey) {
    const key = String(location.path[0]);
    const info = findKeyInfo(key);
    if (!info) return [];
    // Past the end of a finished value (a new line before its comma is typed) is not the value any more.
    const value = analysis.document.properties.filter((property) => property.key === key && property.keyNode.offset < offset).pop()?.valueNode;
    if (value && offset > value.offset + value.length) return [];
    if (info.kind === 'path') return pathItems(analysis, offset, location);
    // Inside a string value only paths make sense; elsewhere offer the literal values.
    return location.previousNode?.type === 'string' ? [] : valueItems(info);
  }
  return [];
}
