import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeConfigText } from '../../server/src/engine/oneShot';
import { findAssetsRoot } from '../../server/src/engine/assets';
import { getLocale, setLocale } from '../../server/src/engine/l10n';

/**
 * Every user-facing string exists in English and Brazilian Portuguese. The English text is the
 * key (VS Code's l10n convention), so the source of truth is what `@vscode/l10n-dev export`
 * extracts from the sources, not the checked-in l10n/bundle.l10n.json.
 */

const ROOT = findAssetsRoot();
const PT_BR_BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.pt-br.json');
const EN_BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');

/**
 * Strings that are the same in both languages: product names and code names, which are not
 * translated. Strings made only of placeholders, digits and punctuation are allowed anyway.
 */
// Product names, and technical words Brazilian Portuguese uses as they are.
const IDENTICAL_ALLOWED = new Set(['MySQL / MariaDB', 'PostgreSQL', 'MongoDB', 'Oracle Database', 'string', 'socket']);

type Bundle = Record<string, string | { message: string; comment?: string[] }>;

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function messageOf(value: Bundle[string]): string {
  return typeof value === 'string' ? value : value.message;
}

function placeholders(text: string): string[] {
  return [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
}

function count(text: string, what: string): number {
  return text.split(what).length - 1;
}

function format(template: string, ...args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}

function exporterCli(): string {
  const cli = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
  assert.ok(fs.existsSync(cli), `${cli} is missing: run npm ci`);
  return cli;
}

/**
 * Runs the extractor the way the project documents it, into a temporary folder. Only the
 * TypeScript sources are given to it: a compiled `.js` left in a src folder by mistake would
 * otherwise keep a string "in the sources" after it was removed from the `.ts`.
 */
function extractStrings(): string[] {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-l10n-'));
  try {
    execFileSync(process.execPath, [exporterCli(), 'export', '--outDir', outDir, 'server/src/**/*.ts', 'client/src/**/*.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const bundlePath = path.join(outDir, 'bundle.l10n.json');
    assert.ok(fs.existsSync(bundlePath), 'the exporter wrote no bundle.l10n.json');
    return Object.keys(readJson<Bundle>(bundlePath));
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function listFailures(title: string, failures: string[]): void {
  assert.ok(failures.length === 0, `${title} (${failures.length}):\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
}

describe('l10n: every extracted string has a Brazilian Portuguese translation', () => {
  let extracted: string[];
  let ptBr: Record<string, string>;

  before(() => {
    extracted = extractStrings();
    ptBr = Object.fromEntries(Object.entries(readJson<Bundle>(PT_BR_BUNDLE)).map(([key, value]) => [key, messageOf(value)]));
  });

  it('finds strings in the sources', () => {
    assert.ok(extracted.length > 50, `only ${extracted.length} strings extracted: is the exporter still finding l10n.t calls?`);
  });

  it('translates each string, differently from English unless it is a name', () => {
    const failures: string[] = [];
    for (const key of extracted) {
      const translation = ptBr[key];
      if (translation === undefined) failures.push(`missing: ${JSON.stringify(key)}`);
      else if (translation.trim() === '') failures.push(`empty: ${JSON.stringify(key)}`);
      else if (translation === key && !IDENTICAL_ALLOWED.has(key) && /\p{L}/u.test(key.replace(/\{\d+\}/g, ''))) {
        failures.push(`same as English: ${JSON.stringify(key)}`);
      }
    }
    listFailures('strings without a pt-BR translation (add them to l10n/bundle.l10n.pt-br.json)', failures);
  });

  it('keeps exactly the placeholders, markdown code spans, bold and edge spaces of the English text', () => {
    const failures: string[] = [];
    for (const key of extracted) {
      const translation = ptBr[key];
      if (translation === undefined) continue;
      const expected = placeholders(key).join(' ');
      const actual = placeholders(translation).join(' ');
      if (expected !== actual) failures.push(`placeholders [${expected}] became [${actual}]: ${JSON.stringify(translation)}`);
      if (count(key, '`') !== count(translation, '`')) failures.push(`backticks ${count(key, '`')} became ${count(translation, '`')}: ${JSON.stringify(translation)}`);
      if (count(key, '**') !== count(translation, '**')) failures.push(`bold markers changed: ${JSON.stringify(translation)}`);
      const edges = (text: string) => `${/^\s*/.exec(text)![0].length}/${/\s*$/.exec(text)![0].length}`;
      if (edges(key) !== edges(translation)) failures.push(`leading/trailing spaces changed: ${JSON.stringify(translation)}`);
    }
    listFailures('translations that change what the code or markdown relies on', failures);
  });

  it('has no stale translations (keys no longer in the sources)', () => {
    const current = new Set(extracted);
    const stale = Object.keys(ptBr).filter((key) => !current.has(key));
    listFailures('stale entries in l10n/bundle.l10n.pt-br.json: the English text changed or was removed; translate the new text and delete these', stale.map((key) => JSON.stringify(key)));
  });

  it('has an up-to-date l10n/bundle.l10n.json (npx @vscode/l10n-dev export --outDir l10n server/src client/src)', () => {
    const english = new Set(Object.keys(readJson<Bundle>(EN_BUNDLE)));
    const current = new Set(extracted);
    const failures = [
      ...extracted.filter((key) => !english.has(key)).map((key) => `not exported: ${JSON.stringify(key)}`),
      ...[...english].filter((key) => !current.has(key)).map((key) => `no longer in the sources: ${JSON.stringify(key)}`),
    ];
    listFailures('l10n/bundle.l10n.json differs from the sources', failures);
  });
});

describe('l10n: package.nls', () => {
  const nls = readJson<Record<string, string>>(path.join(ROOT, 'package.nls.json'));
  const nlsPtBr = readJson<Record<string, string>>(path.join(ROOT, 'package.nls.pt-br.json'));

  it('has the same keys in English and pt-BR, none empty', () => {
    assert.deepEqual(Object.keys(nlsPtBr).sort(), Object.keys(nls).sort());
    for (const [key, value] of Object.entries(nlsPtBr)) assert.ok(value.trim() !== '', `package.nls.pt-br.json: ${key} is empty`);
  });

  it('defines every %key% used in package.json', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const used = [...new Set([...manifest.matchAll(/"%([^%"\s]+)%"/g)].map((match) => match[1]))];
    assert.ok(used.length > 0, 'package.json uses no %key% at all');
    listFailures('keys used in package.json but missing from package.nls.json', used.filter((key) => !(key in nls)));
  });
});

describe('l10n: the engine speaks the chosen language', () => {
  const CONFIG = '{"preScriptLocaton": "/a", "postScriptLocation": "/b"}';
  const UNKNOWN_WITH_SUGGESTION = 'Unknown key "{0}": the agent ignores it silently (keys are case-sensitive). Did you mean "{1}"?';
  const MISSING_REQUIRED = 'The required key "{0}" is missing: the agent cannot load the config (305).';
  const SILENT_NOTE = 'The portal shows no error: the backup reports success, file-system consistent only.';
  let ptBr: Record<string, string>;

  const messages = (): string[] => analyzeConfigText(CONFIG).diagnostics.map((diagnostic) => diagnostic.message);
  const english = {
    unknown: format(UNKNOWN_WITH_SUGGESTION, 'preScriptLocaton', 'preScriptLocation'),
    missing: `${format(MISSING_REQUIRED, 'preScriptLocation')} ${SILENT_NOTE}`,
  };
  const portuguese = () => ({
    unknown: format(ptBr[UNKNOWN_WITH_SUGGESTION], 'preScriptLocaton', 'preScriptLocation'),
    missing: `${format(ptBr[MISSING_REQUIRED], 'preScriptLocation')} ${ptBr[SILENT_NOTE]}`,
  });

  before(() => {
    ptBr = Object.fromEntries(Object.entries(readJson<Bundle>(PT_BR_BUNDLE)).map(([key, value]) => [key, messageOf(value)]));
    assert.ok(ptBr[UNKNOWN_WITH_SUGGESTION], 'the pt-BR bundle has no translation of the unknown-key message');
    assert.ok(ptBr[MISSING_REQUIRED], 'the pt-BR bundle has no translation of the missing-key message');
    assert.ok(ptBr[SILENT_NOTE], 'the pt-BR bundle has no translation of the silent-failure note');
  });
  after(() => setLocale('en'));

  it('reports in English by default', () => {
    setLocale('en');
    assert.equal(getLocale(), 'en');
    const found = messages();
    assert.ok(found.includes(english.unknown), `no English unknown-key message in:\n${found.join('\n')}`);
    assert.ok(found.includes(english.missing), `no English missing-key message in:\n${found.join('\n')}`);
  });

  for (const locale of ['pt-br', 'pt-BR', 'pt']) {
    it(`reports in Portuguese after setLocale('${locale}')`, () => {
      setLocale(locale);
      assert.equal(getLocale(), 'pt-br');
      const found = messages();
      const expected = portuguese();
      assert.ok(found.includes(expected.unknown), `expected ${JSON.stringify(expected.unknown)} in:\n${found.join('\n')}`);
      assert.ok(found.includes(expected.missing), `expected ${JSON.stringify(expected.missing)} in:\n${found.join('\n')}`);
      assert.ok(!found.includes(english.unknown), 'an English message came out after choosing pt-BR');
    });
  }

  it('goes back to English after setLocale(\'en\')', () => {
    setLocale('pt-br');
    setLocale('en');
    assert.equal(getLocale(), 'en');
    const found = messages();
    assert.ok(found.includes(english.unknown), `no English unknown-key message in:\n${found.join('\n')}`);
    assert.ok(!found.includes(portuguese().unknown), 'a Portuguese message is still produced after setLocale(\'en\')');
  });
});
