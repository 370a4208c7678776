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

/**
 * One pass over a text, following Python's JSON grammar: each kind of token is one small step,
 * and a mistake Python would stop at ends the pass (`Fatal`).
 */
class StrictJsonScanner {
  readonly problems: StrictProblem[] = [];
  readonly nonFiniteLiterals: NonFiniteLiteral[] = [];
  readonly topLevelKeys: string[] = [];
  private depth = 0;
  private pos = 0;

  constructor(private readonly text: string) {}

  private report(kind: StrictProblemKind, offset: number, length: number): void {
    this.problems.push({ kind, offset, length: Math.max(length, 0) });
  }

  private fatal(kind: StrictProblemKind, offset: number, length = 1): never {
    this.report(kind, offset, Math.min(length, this.text.length - offset));
    throw new Fatal();
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (WHITESPACE.has(ch)) {
        this.pos++;
      } else if (ch === '/' && this.text[this.pos + 1] === '/') {
        const start = this.pos;
        while (this.pos < this.text.length && this.text[this.pos] !== '\n' && this.text[this.pos] !== '\r') this.pos++;
        this.report('comment', start, this.pos - start);
      } else if (ch === '/' && this.text[this.pos + 1] === '*') {
        const start = this.pos;
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
        this.report('comment', start, this.pos - start);
      } else {
        return;
      }
    }
  }

  private readIdentifier(): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENTIFIER.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private parseString(quote: '"' | "'"): void {
    if (quote === "'") this.report('singleQuote', this.pos, 1);
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) this.fatal('unexpectedEnd', this.text.length, 0);
      const ch = this.text[this.pos];
      if (ch === quote) {
        this.pos++;
        return;
      }
      if (ch === '\\') {
        const escape = this.text[this.pos + 1];
        if (escape === 'u') {
          if (!HEX4.test(this.text.slice(this.pos + 2, this.pos + 6))) this.report('invalidEscape', this.pos, 2);
          this.pos += 6;
        } else {
          if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.report('invalidEscape', this.pos, 2);
          this.pos += 2;
        }
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) this.report('controlCharacter', this.pos, 1);
      this.pos++;
    }
  }

  private parseNumberOrNegativeInfinity(): void {
    const start = this.pos;
    if (this.text.startsWith('-Infinity', this.pos)) {
      this.pos += '-Infinity'.length;
      this.nonFiniteLiterals.push({ offset: start, length: this.pos - start, value: -Infinity });
      return;
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || match[0] === '-') this.fatal('unexpectedToken', start, 1);
    this.pos += match![0].length;
  }

  private parseValue(): StrictJsonResult['topLevelType'] {
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fatal('unexpectedEnd', this.text.length, 0);
    const ch = this.text[this.pos];
    if (ch === '{') {
      this.parseObject();
      return 'object';
    }
    if (ch === '[') {
      this.parseArray();
      return 'array';
    }
    if (ch === '"' || ch === "'") {
      this.parseString(ch);
      return 'string';
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      this.parseNumberOrNegativeInfinity();
      return 'number';
    }
    const start = this.pos;
    const word = this.readIdentifier();
    switch (word) {
      case 'true':
      case 'false':
        return 'boolean';
      case 'null':
        return 'null';
      case 'NaN':
        this.nonFiniteLiterals.push({ offset: start, length: 3, value: NaN });
        return 'number';
      case 'Infinity':
        this.nonFiniteLiterals.push({ offset: start, length: 8, value: Infinity });
        return 'number';
      default:
        return this.fatal('unexpectedToken', start, Math.max(word.length, 1));
    }
  }

  /** Parses `items` separated by commas up to `close`, reporting a trailing comma and going on. */
  private parseSequence(close: '}' | ']', parseItem: () => void): void {
    this.pos++; // the opening bracket
    this.skipWhitespace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return;
    }
    for (;;) {
      parseItem();
      this.skipWhitespace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return;
      }
      if (this.text[this.pos] !== ',') this.fatal(this.pos >= this.text.length ? 'unexpectedEnd' : 'unexpectedToken', this.pos, 1);
      const commaOffset = this.pos;
      this.pos++;
      this.skipWhitespace();
      if (this.text[this.pos] === close) {
        this.report('trailingComma', commaOffset, 1);
        this.pos++;
        return;
      }
    }
  }

  private parseObject(): void {
    this.depth++;
    this.parseSequence('}', () => {
      this.skipWhitespace();
      const ch = this.text[this.pos];
      const keyStart = this.pos;
      if (ch === '"' || ch === "'") {
        this.parseString(ch);
        if (this.depth === 1) this.topLevelKeys.push(this.text.slice(keyStart + 1, this.pos - 1));
      } else if (ch !== undefined && IDENTIFIER.test(ch)) {
        this.readIdentifier();
        this.report('unquotedKey', keyStart, this.pos - keyStart);
        if (this.depth === 1) this.topLevelKeys.push(this.text.slice(keyStart, this.pos));
      } else {
        this.fatal(this.pos >= this.text.length ? 'unexpectedEnd' : 'unexpectedToken', this.pos, 1);
      }
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fatal(this.pos >= this.text.length ? 'unexpectedEnd' : 'unexpectedToken', this.pos, 1);
      this.pos++;
      this.parseValue();
    });
    this.depth--;
  }

  private parseArray(): void {
    this.parseSequence(']', () => {
      this.parseValue();
    });
  }

  run(): StrictJsonResult {
    let topLevelType: StrictJsonResult['topLevelType'];
    try {
      if (this.text.charCodeAt(0) === 0xfeff) {
        this.report('bom', 0, 1);
        this.pos = 1;
      }
      this.skipWhitespace();
      if (this.pos >= this.text.length) {
        if (!this.problems.some((problem) => problem.kind === 'comment')) this.report('empty', 0, 0);
        else this.report('unexpectedEnd', this.text.length, 0);
        throw new Fatal();
      }
      topLevelType = this.parseValue();
      this.skipWhitespace();
      if (this.pos < this.text.length) this.fatal('extraData', this.pos, this.text.length - this.pos);
    } catch (error) {
      if (!(error instanceof Fatal)) throw error;
    }
    return { problems: this.problems, nonFiniteLiterals: this.nonFiniteLiterals, topLevelKeys: this.topLevelKeys, topLevelType };
  }
}

export function checkStrictJson(text: string): StrictJsonResult {
  return new StrictJsonScanner(text).run();
}
