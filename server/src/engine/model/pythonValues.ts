import * as l10n from '@vscode/l10n';
import type { JsonNode } from '../parse/configDocument';

/**
 * A JSON value as Python's `json.load` hands it to the agent. The agent's behaviour depends on
 * Python's types (int vs float, bool being an int, str() of each), so the engine reasons on
 * these instead of on JavaScript values.
 */
export type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: Array<[string, PyValue]> };

export function toPyValue(node: JsonNode, source: string): PyValue | undefined {
  switch (node.type) {
    case 'string':
      return { kind: 'str', value: String(node.value) };
    case 'boolean':
      return { kind: 'bool', value: Boolean(node.value) };
    case 'null':
      return { kind: 'none' };
    case 'number': {
      const raw = source.slice(node.offset, node.offset + node.length);
      if (/^-?\d+$/.test(raw)) return { kind: 'int', value: BigInt(raw) };
      return { kind: 'float', value: Number(node.value) };
    }
    case 'array': {
      const items: PyValue[] = [];
      for (const child of node.children ?? []) {
        const item = toPyValue(child, source);
        if (item) items.push(item);
      }
      return { kind: 'list', items };
    }
    case 'object': {
      // Python's dict keeps a duplicate key at its first position with its last value.
      const entries = new Map<string, PyValue>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        const value = valueNode && toPyValue(valueNode, source);
        if (keyNode && value) entries.set(String(keyNode.value), value);
      }
      return { kind: 'dict', entries: [...entries] };
    }
    default:
      return undefined;
  }
}

/** Python's `repr(float)`: shortest round-trip digits, exponent outside 1e-4 ≤ |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -5 + 1 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1) || '0';
    return `${sign}${whole}.${fraction}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${sign}${head}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python's `repr(str)`: single quotes unless the text has one and no double quote. */
export function pyStrRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

export function pyRepr(value: PyValue): string {
  switch (value.kind) {
    case 'str':
      return pyStrRepr(value.value);
    case 'list':
      return `[${value.items.map(pyRepr).join(', ')}]`;
    case 'dict':
      return `{${value.entries.map(([key, item]) => `${pyStrRepr(key)}: ${pyRepr(item)}`).join(', ')}}`;
    default:
      return pyStr(value);
  }
}

/** Python's `str()`, which is what each script parameter becomes on the command line. */
export function pyStr(value: PyValue): string {
  switch (value.kind) {
    case 'str':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'float':
      return pyFloatRepr(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return pyRepr(value);
  }
}

export function pyTruthy(value: PyValue): boolean {
  switch (value.kind) {
    case 'str':
      return value.value.length > 0;
    case 'int':
      return value.value !== 0n;
    case 'float':
      return value.value !== 0; // NaN is truthy in Python, and NaN !== 0
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
  }
}

/** A number as Python compares it (bool is an int), or undefined for non-numbers. */
export function pyNumber(value: PyValue): number | undefined {
  switch (value.kind) {
    case 'int':
      return Number(value.value);
    case 'float':
      return value.value;
    case 'bool':
      return value.value ? 1 : 0;
    default:
      return undefined;
  }
}

export type PyIntResult = { ok: true; value: number } | { ok: false; error: 'ValueError' | 'TypeError' | 'OverflowError' };

/** Python's `int(x)`: truncates floats, parses decimal strings, rejects the rest. */
export function pyInt(value: PyValue): PyIntResult {
  switch (value.kind) {
    case 'int':
      return { ok: true, value: Number(value.value) };
    case 'bool':
      return { ok: true, value: value.value ? 1 : 0 };
    case 'float':
      if (Number.isNaN(value.value)) return { ok: false, error: 'ValueError' };
      if (!Number.isFinite(value.value)) return { ok: false, error: 'OverflowError' };
      return { ok: true, value: Math.trunc(value.value) };
    case 'str': {
      const match = /^\s*([-+]?\d+(?:_\d+)*)\s*$/.exec(value.value);
      if (!match) return { ok: false, error: 'ValueError' };
      return { ok: true, value: Number(match[1].replace(/_/g, '')) };
    }
    default:
      return { ok: false, error: 'TypeError' };
  }
}

/** A JSON type's name in the user's language, for messages. */
export function jsonTypeName(type: 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object'): string {
  switch (type) {
    case 'string':
      return l10n.t('string');
    case 'number':
      return l10n.t('number');
    case 'boolean':
      return l10n.t('boolean');
    case 'null':
      return 'null';
    case 'array':
      return l10n.t('list');
    case 'object':
      return l10n.t('object');
  }
}

const JSON_TYPES = { str: 'string', int: 'number', float: 'number', bool: 'boolean', none: 'null', list: 'array', dict: 'object' } as const;

export function pyTypeName(value: PyValue): string {
  return jsonTypeName(JSON_TYPES[value.kind]);
}
