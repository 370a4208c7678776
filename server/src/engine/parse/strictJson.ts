/**
 * Decides whether Python's `json.load` (the agent's parser) accepts a text, and where it does not.
 *
 * jsonc-parser is deliberately lenient and does not know Python's extensions (NaN, Infinity),
 * so this small scanner follows Python's grammar instead. It keeps going after the mistakes
 * people really make (comments, trailing commas, single quotes, unquoted keys, a BOM, control
 * characters) so that each gets its own diagnostic and quick fix; anything else stops it, as it
 * stops Python.
 */

export type StrictProblemKind =
  | 'bom'
  | 'bomOnDisk'
  | 'comment'
  | 'trailingComma'
  | 'singleQuote'
  | 'unquotedKey'
  | 'controlCharacter'
  | 'invalidEscape'
  | 'unexpectedToken'
  | 'unexpectedEnd'
  | 'extraData'
  | 'empty';

export interface StrictProblem {
  kind: StrictProblemKind;
  offset: number;
  length: number;
}

/** A literal Python accepts and JSON does not; jsonc-parser needs to be told about these. */
export interface NonFiniteLiteral {
  offset: number;
  length: number;
  value: number;
}

export interface StrictJsonResult {
  problems: StrictProblem[];
  nonFiniteLiterals: NonFiniteLiteral[];
  /**
   * The top-level keys as Python would read them, badly quoted ones included: a key in single
   * quotes is reported as such, not also as missing.
   */
  topLevelKeys: string[];
  /** The JSON type of the top-level value, when one was found. */
  topLevelType?: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
}

class Fatal extends Error {}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const IDENTIFIER = /[A-Za-z0-9_$]/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

export function checkStrictJson(text: string): StrictJsonResult {
  const problems: StrictProblem[] = [];
  const nonFiniteLiterals: NonFiniteLiteral[] = [];
  const topLevelKeys: string[] = [];
  let depth = 0;
  let pos = 0;

  const report = (kind: StrictProblemKind, offset: number, length: number): void => {
    problems.push({ kind, offset, length: Math.max(length, 0) });
  };
  const fatal = (kind: StrictProblemKind, offset: number, length = 1): never => {
    report(kind, offset, Math.min(length, text.length - offset));
    throw new Fatal();
  };

  const skipWhitespace = (): void => {
    while (pos < text.length) {
      const ch = text[pos];
      if (WHITESPACE.has(ch)) {
        pos++;
      } else if (ch === '/' && text[pos + 1] === '/') {
        const start = pos;
        while (pos < text.length && text[pos] !== '\n' && text[pos] !== '\r') pos++;
        report('comment', start, pos - start);
      } else if (ch === '/' && text[pos + 1] === '*') {
        const start = pos;
        const end = text.indexOf('*/', pos + 2);
        pos = end < 0 ? text.length : end + 2;
        report('comment', start, pos - start);
      } else {
        return;
      }
    }
  };

  const readIdentifier = (): string => {
    const start = pos;
    while (pos < text.length && IDENTIFIER.test(text[pos])) pos++;
    return text.slice(start, pos);
  };

  const parseString = (quote: '"' | "'"): void => {
    if (quote === "'") report('singleQuote', pos, 1);
    pos++;
    for (;;) {
      if (pos >= text.length) fatal('unexpectedEnd', text.length, 0);
      const ch = text[pos];
      if (ch === quote) {
        pos++;
        return;
      }
      if (ch === '\\') {
        const escape = text[pos + 1];
        if (escape === 'u') {
          if (!HEX4.test(text.slice(pos + 2, pos + 6))) report('invalidEscape', pos, 2);
          pos += 6;
        } else {
          if (escape === undefined || !'"\\/bfnrt'.includes(escape)) report('invalidEscape', pos, 2);
          pos += 2;
        }
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) report('controlCharacter', pos, 1);
      pos++;
    }
  };

  const parseNumberOrNegativeInfinity = (): void => {
    const start = pos;
    if (text.startsWith('-Infinity', pos)) {
      pos += '-Infinity'.length;
      nonFiniteLiterals.push({ offset: start, length: pos - start, value: -Infinity });
      return;
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match || match[0] === '-') fatal('unexpectedToken', start, 1);
    pos += match![0].length;
  };

  const parseValue = (): StrictJsonResult['topLevelType'] => {
    skipWhitespace();
    if (pos >= text.length) fatal('unexpectedEnd', text.length, 0);
    const ch = text[pos];
    if (ch === '{') {
      parseObject();
      return 'object';
    }
    if (ch === '[') {
      parseArray();
      return 'array';
    }
    if (ch === '"' || ch === "'") {
      parseString(ch);
      return 'string';
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      parseNumberOrNegativeInfinity();
      return 'number';
    }
    const start = pos;
    const word = readIdentifier();
    switch (word) {
      case 'true':
      case 'false':
        return 'boolean';
      case 'null':
        return 'null';
      case 'NaN':
        nonFiniteLiterals.push({ offset: start, length: 3, value: NaN });
        return 'number';
      case 'Infinity':
        nonFiniteLiterals.push({ offset: start, length: 8, value: Infinity });
        return 'number';
      default:
        return fatal('unexpectedToken', start, Math.max(word.length, 1));
    }
  };

  /** Parses `items` separated by commas up to `close`, reporting a trailing comma and going on. */
  const parseSequence = (close: '}' | ']', parseItem: () => void): void => {
    pos++; // the opening bracket
    skipWhitespace();
    if (text[pos] === close) {
      pos++;
      return;
    }
    for (;;) {
      parseItem();
      skipWhitespace();
      if (text[pos] === close) {
        pos++;
        return;
      }
      if (text[pos] !== ',') fatal(pos >= text.length ? 'unexpectedEnd' : 'unexpectedToken', pos, 1);
      const commaOffset = pos;
      pos++;
      skipWhitespace();
      if (text[pos] === close) {
        report('trailingComma', commaOffset, 1);
        pos++;
        return;
      }
    }
  };

  const parseObject = (): void => {
    depth++;
    parseSequence('}', () => {
      skipWhitespace();
      const ch = text[pos];
      const keyStart = pos;
      if (ch === '"' || ch === "'") {
        parseString(ch);
        if (depth === 1) topLevelKeys.push(text.slice(keyStart + 1, pos - 1));
      } else if (ch !== undefined && IDENTIFIER.test(ch)) {
        readIdentifier();
        report('unquotedKey', keyStart, pos - keyStart);
        if (depth === 1) topLevelKeys.push(text.slice(keyStart, pos));
      } else {
        fatal(pos >= text.length ? 'unexpectedEnd' : 'unexpectedToken', pos, 1);
      }
      skipWhitespace();
      if (text[pos] !== ':') fatal(pos >= text.length ? 'unexpectedEnd' : 'unexpectedToken', pos, 1);
      pos++;
      parseValue();
    });
    depth--;
  };

  const parseArray = (): void => {
    parseSequence(']', () => {
      parseValue();
    });
  };

  let topLevelType: StrictJsonResult['topLevelType'];
  try {
    if (text.charCodeAt(0) === 0xfeff) {
      report('bom', 0, 1);
      pos = 1;
    }
    skipWhitespace();
    if (pos >= text.length) {
      if (!problems.some((problem) => problem.kind === 'comment')) report('empty', 0, 0);
      else report('unexpectedEnd', text.length, 0);
      throw new Fatal();
    }
    topLevelType = parseValue();
    skipWhitespace();
    if (pos < text.length) fatal('extraData', pos, text.length - pos);
  } catch (error) {
    if (!(error instanceof Fatal)) throw error;
  }
  return { problems, nonFiniteLiterals, topLevelKeys, topLevelType };
}
