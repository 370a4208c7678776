/** PlaceholderLeft and SecretOnCommandLine: what a sample's author left for the user to fill in. */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import { lowerBound } from './facts';
import type { CommandFact, ScriptFacts } from './facts';
import type { BehaviourFinding } from './types';

const PLACEHOLDERS: { pattern: RegExp; kind: string }[] = [
  { pattern: /(?<!<)<[A-Za-z][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+){0,3}>/g, kind: 'angle' },
  { pattern: /\bYOUR_[A-Z0-9_]+\b/g, kind: 'your' },
  { pattern: /\bchange_?me\b/gi, kind: 'changeme' },
  { pattern: /\*{4,}/g, kind: 'masked' },
  { pattern: /@[A-Z][A-Z0-9_]*@/g, kind: 'autoconf' },
  { pattern: /\[(SID|INSTANCE|INSTANCE_NAME|DB|DBNAME|DB_NAME|DATABASE|USER|USERNAME|PASSWORD|HOST|PORT|CONTAINER|SERVICE)\]/g, kind: 'bracket' },
];

/** Spans sorted by start: is an offset inside one of them? */
function insideAny(spans: readonly { start: number; end: number }[], offset: number): boolean {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (spans[mid].start <= offset) low = mid + 1;
    else high = mid;
  }
  return low > 0 && offset < spans[low - 1].end;
}

/** The innermost command whose words or here-documents hold an offset. */
function commandAt(facts: ScriptFacts, offset: number): CommandFact | undefined {
  const low = lowerBound(facts.starts, offset + 1);
  // Commands nest only as deep as `$(…)` does; a few steps back find the one around.
  for (let i = low - 1; i >= 0 && i >= low - 64; i--) {
    const fact = facts.commands[i];
    const bodyEnd = Math.max(fact.command.end, ...fact.command.redirects.map((redirect) => redirect.body?.end ?? 0));
    if (offset < bodyEnd) return fact;
  }
  return undefined;
}

export function checkPlaceholders(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const comments = [...facts.syntax.comments].sort((a, b) => a.start - b.start);
  for (const { pattern, kind } of PLACEHOLDERS) {
    for (const match of facts.text.matchAll(pattern)) {
      const start = match.index!;
      if (insideAny(comments, start)) continue;
      const command = commandAt(facts, start);
      // A usage line (`echo "usage: $0 <db>"`) or a log message may show a placeholder on purpose.
      if (command?.messaging) continue;
      found.push({
        code: ScriptCode.placeholderLeft,
        severity: 'error',
        message: kind === 'angle'
          ? l10n.t('`{0}` is a placeholder of a sample, left in: sh reads `<` and `>` as redirections, so the command reads or writes a file of that name instead. Put the real value here.', match[0])
          : l10n.t('`{0}` is a placeholder of a sample, left in: the command runs with it as a literal value and fails or acts on the wrong thing. Put the real value here.', match[0]),
        start,
        end: start + match[0].length,
        data: { rule: 'placeholder', kind },
      });
    }
  }
  // A container id written out: it changes whenever the container is created again.
  for (const fact of facts.commands) {
    if (fact.name !== 'docker' && fact.name !== 'podman' && fact.wrapper !== 'docker' && fact.wrapper !== 'podman') continue;
    const words = fact.wrapper ? fact.command.words : fact.args;
    for (const word of words) {
      if (word.value === undefined || !/^([0-9a-f]{12}|[0-9a-f]{64})$/.test(word.value)) continue;
      found.push({
        code: ScriptCode.placeholderLeft,
        severity: 'error',
        message: l10n.t('`{0}` is a container id written into the script: a container created again (an update, a restart with compose) gets a new id, and this command then acts on nothing. Use the container\'s name.', word.value),
        start: word.start,
        end: word.end,
        data: { rule: 'containerId' },
      });
    }
  }
  return found;
}

const PASSWORD_CLIENTS = new Set(['mysql', 'mariadb', 'mysqldump', 'mariadb-dump', 'mysqladmin', 'mariadb-admin', 'mongo', 'mongosh', 'mongodump', 'sqlplus', 'rman', 'expdp', 'db2', 'redis-cli', 'psql', 'pg_dump']);
const SECRET_NAME = /(pass(word|wd)?|pwd|secret|token)$/i;

function secretFinding(start: number, end: number, rule: string, message: string): BehaviourFinding {
  return { code: ScriptCode.secretOnCommandLine, severity: 'warning', message, start, end, data: { rule } };
}

export function checkSecrets(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const argvMessage = (): string => l10n.t('A password on the command line: every user of the VM sees it in `ps` while the command runs, and it may land in logs. Put it in a root-only options file (`--defaults-extra-file`, a PostgreSQL service file or .pgpass, a connection file) instead.');
  for (const fact of facts.commands) {
    if (fact.name && PASSWORD_CLIENTS.has(fact.name)) {
      for (const word of fact.args) {
        const raw = word.raw;
        const mysqlStyle = (fact.name.startsWith('mysql') || fact.name.startsWith('mariadb')) && /^-p\S/.test(raw);
        if (mysqlStyle || /^--pass(word)?=\S/.test(raw)) {
          found.push(secretFinding(word.start, word.end, 'passwordArgument', argvMessage()));
        } else if (/^["']?[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:[^@\s]+@/i.test(raw)) {
          found.push(secretFinding(word.start, word.end, 'connectionString', argvMessage()));
        } else if (fact.name === 'sqlplus' && /^["']?[A-Za-z_][\w$#]*\/[^\s@/]+(@\S+)?["']?$/.test(raw)) {
          found.push(secretFinding(word.start, word.end, 'connectionString', argvMessage()));
        }
      }
    }
    // `PGPASSWORD=secret psql`, `DB_PASSWORD='x'`: written into the script itself.
    for (const assignment of fact.command.assignments) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(assignment.raw);
      if (!match || !SECRET_NAME.test(match[1])) continue;
      const value = assignment.value?.slice(match[1].length + 1);
      if (!value || assignment.value === undefined) continue; // empty, or read from somewhere at run time
      found.push(secretFinding(assignment.start, assignment.end, 'passwordInScript', l10n.t('A password written into the script: anyone who can read the script or a copy of it (a backup, a repository) has it. Read it from a root-only file at run time instead.')));
    }
  }
  return found;
}
