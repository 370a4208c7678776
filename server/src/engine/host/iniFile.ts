import * as l10n from '@vscode/l10n';

/**
 * A reading of INI files close enough to Python's ConfigParser for the agent's two files:
 * option names are case-insensitive, `:` and `=` both separate, `#` and `;` start comments,
 * and an option before any section header is an error (MissingSectionHeaderError).
 */
export interface IniFile {
  sections: Map<string, Map<string, string>>;
  /** The first error ConfigParser would raise, with its one-based line. */
  error?: { line: number; message: string };
}

export function parseIni(text: string): IniFile {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && current && lastKey) {
      current.set(lastKey, `${current.get(lastKey)}\n${trimmed}`);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      const name = header[1];
      if (sections.has(name)) return { sections, error: { line: index + 1, message: l10n.t('duplicate section [{0}]', name) } };
      current = new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    if (!current) return { sections, error: { line: index + 1, message: l10n.t('no section header before this line') } };
    const option = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(trimmed);
    if (!option) return { sections, error: { line: index + 1, message: l10n.t('not an option line: {0}', trimmed) } };
    lastKey = option[1].toLowerCase();
    if (current.has(lastKey)) return { sections, error: { line: index + 1, message: l10n.t('duplicate option {0}', option[1]) } };
    current.set(lastKey, option[2]);
  }
  return { sections };
}

/** Python's `int(str)`, which the agent applies to the host conf's numbers. */
export function parseIniInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([-+]?\d+(?:_\d+)*)\s*$/.exec(value);
  return match ? Number(match[1].replace(/_/g, '')) : undefined;
}
