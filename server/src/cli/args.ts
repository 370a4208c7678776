import * as l10n from '@vscode/l10n';

/** A small flag parser: the CLI has few flags and no dependency is worth it. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(args: readonly string[], valued: ReadonlySet<string>, booleans: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inlineValue] = arg.slice(2).split(/=(.*)/s, 2);
    if (valued.has(name)) {
      const value = inlineValue ?? args[++index];
      if (value === undefined) throw new UsageError(l10n.t('--{0} needs a value', name));
      flags.set(name, value);
    } else if (booleans.has(name) && inlineValue === undefined) {
      flags.set(name, true);
    } else {
      throw new UsageError(l10n.t('unknown option --{0}', name));
    }
  }
  return { positionals, flags };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
