/**
 * The agent's INI files read as Python 3's `configparser.ConfigParser()` reads them with its
 * defaults (the agent's `config.read(path)`), rule for rule from `RawConfigParser._read`:
 * `=` and `:` separate (the first one wins), only whole-line `#`/`;` comments, no inline
 * comments (`x = 1 # s` keeps `1 # s`), quotes kept, option names lower-cased and section names
 * not, continuation lines by deeper indentation, blank lines inside a value kept, `[DEFAULT]`
 * seen from every section, and `strict=True`: a duplicate section or option stops the read.
 *
 * Two views from one pass: `error` is what `read()` raises (exact, for the prediction), while
 * `headers`/`options` go on past every error (tolerant, for completion and hover on broken text).
 *
 * Python 2's ConfigParser, used only on old images, differs: duplicates keep the last value,
 * `;` after whitespace starts an inline comment, indented lines are errors, and only `%(`
 * breaks interpolation. The engine predicts Python 3 and says so where Python 2 would differ.
 */

/** Python's `str.isspace()` characters, which `str.strip()` and `re`'s `\s` use (JavaScript's `\s` differs). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);
const NON_SPACE = new RegExp(`[^${PY_SPACE}]`);
/** `RawConfigParser.SECTCRE`: `\[(?P<header>.+)\]` matched at the start, greedy, so `[a] # x` is `a`. */
const SECTION_HEADER = /^\[(.+)\]/s;
/** `RawConfigParser.OPTCRE` with the delimiters `=` and `:`. */
const OPTION_LINE = new RegExp(`^(.*?)[${PY_SPACE}]*([=:])[${PY_SPACE}]*(.*)$`, 's');

export const DEFAULT_SECTION = 'DEFAULT';

export function pyStrip(text: string): string {
  return text.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

export function pyRstrip(text: string): string {
  return text.replace(TRAILING_SPACE, '');
}

/** `configparser`'s `optionxform`: option names are compared lower-cased. */
export function optionKey(name: string): string {
  return name.toLowerCase();
}

export interface IniLineSpan {
  /** Zero-based line. */
  line: number;
  /** UTF-16 columns of the stripped text on that line. */
  start: number;
  end: number;
}

export interface IniSectionHeader {
  name: string;
  span: IniLineSpan;
}

export interface IniOption {
  section: string;
  /** As written (right-stripped); `key` is what the parser stores. */
  name: string;
  key: string;
  nameSpan: IniLineSpan;
  /** The value's first line; empty values start just after the separator. */
  valueSpan: IniLineSpan;
  /** Continuation lines, each stripped, as the parser appends them. */
  continuation: IniLineSpan[];
  /** The raw value as `get(raw=True)` returns it: lines joined with `\n`, right-stripped. */
  value: string;
}

export type IniErrorKind = 'MissingSectionHeaderError' | 'DuplicateSectionError' | 'DuplicateOptionError' | 'ParsingError';

export interface IniError {
  kind: IniErrorKind;
  /** Zero-based line of the (first) offending line. */
  line: number;
  section?: string;
  option?: string;
}

export interface IniDocument {
  /** What `read()` raises, if anything: the first duplicate or missing header, else the first unparsable line. */
  error?: IniError;
  /** Every problem on the way, in line order, for the editor. */
  problems: IniError[];
  /** Sections as the parser keeps them when the read succeeds (first occurrence wins in the tolerant view). */
  sections: Map<string, Map<string, IniOption>>;
  defaults: Map<string, IniOption>;
  /** Every header and every option line, including those after an error. */
  headers: IniSectionHeader[];
  options: IniOption[];
  lines: string[];
}

/** Python's universal newlines, as a file opened in text mode splits them. */
export function splitPythonLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function spanOf(lineText: string, line: number): IniLineSpan {
  const start = lineText.length - lineText.replace(LEADING_SPACE, '').length;
  return { line, start, end: pyRstrip(lineText).length };
}

interface OpenOption {
  option: IniOption;
  parts: string[];
}

export function parseIni(text: string): IniDocument {
  const lines = splitPythonLines(text);
  const document: IniDocument = { problems: [], sections: new Map(), defaults: new Map(), headers: [], options: [], lines };
  const added = new Set<string>();
  let current: Map<string, IniOption> | undefined;
  let sectionName: string | undefined;
  let open: OpenOption | undefined;
  let indentLevel = 0;
  const openOptions: OpenOption[] = [];
  let immediate: IniError | undefined;
  let parsing: IniError | undefined;
  const fail = (error: IniError, fatal: boolean): void => {
    document.problems.push(error);
    if (fatal) immediate ??= error;
    else parsing ??= error;
  };

  for (let line = 0; line < lines.length; line++) {
    const lineText = lines[line];
    const stripped = pyStrip(lineText);
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = isComment ? '' : stripped;
    if (!value) {
      // A blank line (not a comment) inside a value is kept; the trailing ones are dropped at the end.
      if (!isComment && current && open) open.parts.push('');
      continue;
    }
    const indent = lineText.search(NON_SPACE);
    if (current && open && indent > indentLevel) {
      open.parts.push(value);
      open.option.continuation.push(spanOf(lineText, line));
      continue;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) {
      const name = header[1];
      const span = spanOf(lineText, line);
      document.headers.push({ name, span: { ...span, end: span.start + header[0].length } });
      if (document.sections.has(name)) {
        if (added.has(name)) fail({ kind: 'DuplicateSectionError', line, section: name }, true);
        current = document.sections.get(name);
        added.add(name);
      } else if (name === DEFAULT_SECTION) {
        current = document.defaults;
      } else {
        current = new Map();
        document.sections.set(name, current);
        added.add(name);
      }
      sectionName = name;
      open = undefined;
      continue;
    }
    if (!current) {
      fail({ kind: 'MissingSectionHeaderError', line }, true);
      // Python stops here; the editor reads on as if a nameless section had begun.
      current = new Map();
      sectionName = '';
      open = undefined;
      continue;
    }
    const match = OPTION_LINE.exec(value);
    if (!match) {
      fail({ kind: 'ParsingError', line }, false);
      continue;
    }
    const name = pyRstrip(match[1]);
    if (!name) fail({ kind: 'ParsingError', line }, false);
    const key = optionKey(name);
    const addedKey = `${sectionName}\u0000${key}`;
    const duplicate = added.has(addedKey);
    if (duplicate) fail({ kind: 'DuplicateOptionError', line, section: sectionName, option: key }, true);
    added.add(addedKey);
    const nameStart = lineText.length - lineText.replace(LEADING_SPACE, '').length;
    // The separator's trailing spaces are in the pattern, so the value group starts at the value.
    const valueText = match[3];
    const valueStart = nameStart + value.length - valueText.length;
    const option: IniOption = {
      section: sectionName!,
      name,
      key,
      nameSpan: { line, start: nameStart, end: nameStart + name.length },
      valueSpan: { line, start: valueStart, end: valueStart + valueText.length },
      continuation: [],
      value: valueText,
    };
    document.options.push(option);
    open = { option, parts: [valueText] };
    openOptions.push(open);
    // Python replaces the entry; a duplicate has already stopped its read, so the editor keeps the first.
    if (!duplicate || !current.has(key)) current.set(key, option);
    // An empty option name is a parsing error, and Python's `if optname` then ignores continuation lines.
    if (!name) open = undefined;
  }
  for (const { option, parts } of openOptions) option.value = pyRstrip(parts.join('\n'));
  document.error = immediate ?? parsing;
  return document;
}

export type IniValue = { ok: true; value: string } | { ok: false; error: 'InterpolationSyntaxError' | 'InterpolationMissingOptionError' | 'InterpolationDepthError' };

/** `has_option`: the section's own options and `[DEFAULT]`'s; a missing section has none. */
export function hasOption(document: IniDocument, section: string, key: string): boolean {
  const name = optionKey(key);
  if (section === DEFAULT_SECTION) return document.defaults.has(name);
  const options = document.sections.get(section);
  return options !== undefined && (options.has(name) || document.defaults.has(name));
}

/** The option an agent `get` finds: the section's own, else `[DEFAULT]`'s. */
export function findOption(document: IniDocument, section: string, key: string): IniOption | undefined {
  const name = optionKey(key);
  if (section !== DEFAULT_SECTION && !document.sections.has(section)) return undefined;
  return document.sections.get(section)?.get(name) ?? document.defaults.get(name);
}

const KEY_REFERENCE = /^%\(([^)]+)\)s/;
const MAX_INTERPOLATION_DEPTH = 10;

/**
 * `get(section, key)` with `BasicInterpolation`: `%%` is `%`, `%(name)s` another option of the
 * section or `[DEFAULT]`, and any other `%` raises InterpolationSyntaxError. The option must exist.
 */
export function getValue(document: IniDocument, section: string, key: string): IniValue | undefined {
  const option = findOption(document, section, key);
  if (!option) return undefined;
  const lookup = (name: string): string | undefined => findOption(document, section, name)?.value;
  const accum: string[] = [];
  const interpolate = (rest: string, depth: number): IniValue | undefined => {
    if (depth > MAX_INTERPOLATION_DEPTH) return { ok: false, error: 'InterpolationDepthError' };
    while (rest) {
      const percent = rest.indexOf('%');
      if (percent < 0) {
        accum.push(rest);
        return undefined;
      }
      accum.push(rest.slice(0, percent));
      rest = rest.slice(percent);
      const next = rest.slice(1, 2);
      if (next === '%') {
        accum.push('%');
        rest = rest.slice(2);
      } else if (next === '(') {
        const match = KEY_REFERENCE.exec(rest);
        if (!match) return { ok: false, error: 'InterpolationSyntaxError' };
        rest = rest.slice(match[0].length);
        const referenced = lookup(optionKey(match[1]));
        if (referenced === undefined) return { ok: false, error: 'InterpolationMissingOptionError' };
        if (referenced.includes('%')) {
          const failed = interpolate(referenced, depth + 1);
          if (failed) return failed;
        } else accum.push(referenced);
      } else return { ok: false, error: 'InterpolationSyntaxError' };
    }
    return undefined;
  };
  return interpolate(option.value, 1) ?? { ok: true, value: accum.join('') };
}

/** The digit value of a Unicode decimal digit (`\p{Nd}` comes in aligned runs of ten). */
function digitValue(character: string): number {
  let codePoint = character.codePointAt(0)!;
  let value = 0;
  while (value < 9 && /\p{Nd}/u.test(String.fromCodePoint(codePoint - 1))) {
    codePoint--;
    value++;
  }
  return value;
}

const PY_INT = new RegExp(`^[${PY_SPACE}]*([-+]?)(\\p{Nd}+(?:_\\p{Nd}+)*)[${PY_SPACE}]*$`, 'u');

/** Python's `int(str)`: spaces around, a sign, `_` between digits, any Unicode decimal digits. */
export function pythonInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = PY_INT.exec(text);
  if (!match) return undefined;
  let value = 0;
  for (const character of match[2]) if (character !== '_') value = value * 10 + digitValue(character);
  return match[1] === '-' ? -value : value;
}

const BOOLEAN_STATES: Record<string, boolean> = { '1': true, yes: true, true: true, on: true, '0': false, no: false, false: false, off: false };

/** `getboolean`: the eight words in any case, else ValueError (undefined). */
export function pythonBoolean(text: string): boolean | undefined {
  return BOOLEAN_STATES[text.toLowerCase()];
}
