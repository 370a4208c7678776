#!/usr/bin/env node
// Checks the pt-BR bundle against the strings the sources use.
//
//   node scripts/l10n-check.mjs                 report missing, stale and broken translations
//   node scripts/l10n-check.mjs --missing FILE  also write the untranslated strings (English values) to FILE
//
// It runs the same extractor as `npx @vscode/l10n-dev export --outDir l10n server/src client/src`,
// into a temporary folder, and also lists messages the extractor cannot see: calls of `t(...)`
// imported from the engine's l10n module (only `l10n.t(...)` / `vscode.l10n.t(...)` are extracted).
// Exit status: 0 all translated, 1 something to do, 2 the extractor failed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['server/src', 'client/src'];
const ptBrPath = path.join(root, 'l10n', 'bundle.l10n.pt-br.json');
const identicalAllowed = new Set(['MySQL / MariaDB', 'PostgreSQL', 'MongoDB', 'Oracle Database', 'string', 'socket']);

const args = process.argv.slice(2);
const missingOut = args.includes('--missing') ? args[args.indexOf('--missing') + 1] : undefined;

function extract() {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-check-'));
  try {
    const cli = path.join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    execFileSync(process.execPath, [cli, 'export', '--outDir', outDir, ...sourceDirs.map((dir) => `${dir}/**/*.ts`)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(fs.readFileSync(path.join(outDir, 'bundle.l10n.json'), 'utf8'));
  } catch (error) {
    console.error(`l10n-check: the extractor failed: ${error.stderr?.toString() || error.message}`);
    process.exit(2);
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** `t('…')` with `t` imported from an l10n module: translated at run time, invisible to the extractor. */
function unextractableCalls() {
  const found = [];
  for (const dir of sourceDirs) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const text = fs.readFileSync(file, 'utf8');
      if (!/import\s*\{[^}]*\bt\b[^}]*\}\s*from\s*['"][^'"]*l10n['"]/.test(text)) continue;
      for (const match of text.matchAll(/(?<![.\w$])t\(\s*['"`]/g)) {
        const line = text.slice(0, match.index).split('\n').length;
        const quote = match.index + match[0].length - 1;
        const lineEnd = text.indexOf('\n', quote);
        const excerpt = text.slice(match.index, lineEnd < 0 ? undefined : lineEnd).replace(/\s+/g, ' ').slice(0, 160);
        found.push(`${path.relative(root, file)}:${line}: ${excerpt}`);
      }
    }
  }
  return found;
}

const placeholders = (text) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort().join(' ');
const count = (text, what) => text.split(what).length - 1;

const english = Object.keys(extract());
const ptBr = fs.existsSync(ptBrPath) ? JSON.parse(fs.readFileSync(ptBrPath, 'utf8')) : {};
const current = new Set(english);

const missing = english.filter((key) => !ptBr[key]?.trim());
const identical = english.filter((key) => ptBr[key] === key && !identicalAllowed.has(key) && /\p{L}/u.test(key.replace(/\{\d+\}/g, '')));
const broken = english.filter((key) => ptBr[key] && (placeholders(key) !== placeholders(ptBr[key]) || count(key, '`') !== count(ptBr[key], '`') || count(key, '**') !== count(ptBr[key], '**')));
const stale = Object.keys(ptBr).filter((key) => !current.has(key));
const hidden = unextractableCalls();

const section = (title, items) => {
  if (items.length === 0) return;
  console.log(`\n${title} (${items.length}):`);
  for (const item of items) console.log(`  ${item}`);
};
console.log(`${english.length} strings in the sources, ${english.length - missing.length} translated to pt-BR.`);
section('Missing pt-BR translations', missing.map((key) => JSON.stringify(key)));
section('Same as English', identical.map((key) => JSON.stringify(key)));
section('Placeholders, `code` or **bold** differ from English', broken.map((key) => `${JSON.stringify(key)}\n    -> ${JSON.stringify(ptBr[key])}`));
section('Stale pt-BR entries (no longer in the sources)', stale.map((key) => JSON.stringify(key)));
section('Not extractable: t(...) imported from an l10n module; use l10n.t(...)', hidden);

if (missingOut) {
  fs.writeFileSync(missingOut, `${JSON.stringify(Object.fromEntries(missing.map((key) => [key, key])), null, 2)}\n`);
  console.log(`\nWrote ${missing.length} untranslated strings to ${missingOut}.`);
}
process.exitCode = missing.length + identical.length + broken.length + stale.length > 0 ? 1 : 0;
