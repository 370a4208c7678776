/**
 * Makes the agent's logs and status files safe to paste into a public issue (agent-logs.md §6):
 * tokens, SAS signatures and query strings, storage account names and blob paths, GUIDs
 * (machine, task and subscription ids), certificate thumbprints, database credentials and
 * resource names are replaced; every other byte stays as it was. Conservative: a value that
 * looks like one of these is replaced even where it might be harmless.
 *
 * The patterns never consume a quote or a backslash, so JSON (and JSON nested in a JSON string,
 * as in the status file) stays valid after redaction.
 */
export const REDACTED = 'REDACTED';

interface Rule {
  pattern: RegExp;
  /** Replacement for the whole match; `$1` etc. keep the surrounding text. */
  replace: (match: string, ...groups: string[]) => string;
}

/** A quote, optionally escaped (once or more, for JSON inside JSON). */
const Q = String.raw`\\*["']`;
const VALUE = String.raw`[^"'\\\s,}\]]+`;

function keep(prefix: string): string {
  return `${prefix}${REDACTED}`;
}

const RULES: Rule[] = [
  // Host authorisation and DirectDrive tokens, in log text and in JSON (escaped or not).
  { pattern: new RegExp(String.raw`(snapshotTaskToken${Q}?\s*:\s*${Q}?)${VALUE}`, 'gi'), replace: (_m, prefix) => keep(prefix) },
  { pattern: new RegExp(String.raw`(${Q}token${Q}\s*:\s*${Q})[^"'\\]*`, 'gi'), replace: (_m, prefix) => keep(prefix) },
  { pattern: new RegExp(String.raw`(\btoken\s*:\s*)${VALUE}`, 'gi'), replace: (_m, prefix) => keep(prefix) },
  // Settings: protected settings (encrypted secrets), the public objectStr (which embeds the token) and thumbprints.
  { pattern: new RegExp(String.raw`(${Q}(?:protectedSettings|objectStr|protectedSettingsCertThumbprint)${Q}\s*:\s*${Q})[^"'\\]*`, 'gi'), replace: (_m, prefix) => keep(prefix) },
  // SAS signatures and every query string of a storage URL.
  { pattern: /([?&]sig=)[^&\s"'\\]+/gi, replace: (_m, prefix) => keep(prefix) },
  {
    pattern: /\b([a-z0-9-]+)((?:\.[a-z0-9-]+)?\.(?:blob|queue|table|file|dfs)\.(?:core\.windows\.net|storage\.azure\.net))(\/[^\s"'\\?,)]*)?(\?[^\s"'\\,)]*)?/gi,
    replace: (_m, _account, domain, path, query) => `${REDACTED}${domain}${path ? `/${REDACTED}` : ''}${query ? `?${REDACTED}` : ''}`,
  },
  // Any other URL, even cut short: its host and path may name an account (IP addresses stay).
  {
    pattern: /\b(https?:\/\/)(?!REDACTED\b)(?!\d{1,3}(?:\.\d{1,3}){3}\b)[^\s"'\\/?#,)]+(\/[^\s"'\\?,)]*)?(\?[^\s"'\\,)]*)?/gi,
    replace: (_m, scheme, path, query) => `${scheme}${REDACTED}${path ? `/${REDACTED}` : ''}${query ? `?${REDACTED}` : ''}`,
  },
  { pattern: /(hostname: \S*\s+path: )\S+/g, replace: (_m, prefix) => keep(prefix) },
  // Database credentials on the enhanced framework's command lines.
  { pattern: /(^|\s)(-p|--password=|--password\s+|--defaults-extra-file=|--defaults-file=)(?!\s)[^\s"'\\]+/g, replace: (_m, space, flag) => `${space}${flag}${REDACTED}` },
  { pattern: /(^|\s)(-u|--user=|--user\s+)(?!\s)[^\s"'\\]+/g, replace: (_m, space, flag) => `${space}${flag}${REDACTED}` },
  { pattern: /(\bsu - )[^\s"'\\]+/g, replace: (_m, prefix) => keep(prefix) },
  { pattern: /(\b(?:SID|HOME): )[^\s"'\\,]+/g, replace: (_m, prefix) => keep(prefix) },
  { pattern: /(\bcredString\s*[:=]\s*)[^\s"'\\,]+/gi, replace: (_m, prefix) => keep(prefix) },
  // Backup metadata headers (VM and resource names) and resource ids.
  { pattern: new RegExp(String.raw`(${Q}x-ms-meta-[^"'\\]+${Q}\s*:\s*${Q})[^"'\\]*`, 'gi'), replace: (_m, prefix) => keep(prefix) },
  { pattern: /(\/(?:resourceGroups|virtualMachines|providers\/[^/\s"']+\/[^/\s"']+)\/)[^/\s"'\\,]+/gi, replace: (_m, prefix) => keep(prefix) },
  // Opaque values (tokens, keys) even without their key, as in a cut excerpt: 20+ characters of base64 with letters and digits.
  { pattern: /(?<![\w+/=.-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{20,}={0,2}(?![\w+/=.-])/g, replace: (match) => (match.startsWith(REDACTED) ? match : REDACTED) },
  // Certificate thumbprints and other SHA-1-sized hex strings.
  { pattern: /\b[0-9A-Fa-f]{40}\b/g, replace: () => REDACTED },
];

const GUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;

export interface Redaction {
  text: string;
  /** How many values were replaced. */
  count: number;
}

/**
 * Redacts one text. GUIDs become `guid-1`, `guid-2`… (the same GUID the same name), so that a
 * reader can still follow one task id through the log; the numbering is shared across calls
 * given the same `guids` map.
 */
export function redactText(text: string, guids: Map<string, string> = new Map()): Redaction {
  let count = 0;
  let result = text;
  result = result.replace(GUID, (guid) => {
    const key = guid.toLowerCase();
    let name = guids.get(key);
    if (!name) {
      name = `guid-${guids.size + 1}`;
      guids.set(key, name);
    }
    count++;
    return `${REDACTED}-${name}`;
  });
  for (const rule of RULES) {
    result = result.replace(rule.pattern, (...args: unknown[]) => {
      const groups = args.slice(0, -2).filter((value): value is string => typeof value === 'string' || value === undefined) as string[];
      const replaced = rule.replace(groups[0], ...groups.slice(1));
      if (replaced !== groups[0]) count++;
      return replaced;
    });
  }
  return { text: result, count };
}
