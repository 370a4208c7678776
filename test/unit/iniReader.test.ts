import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { DEFAULT_SECTION, getValue, IniDocument, parseIni, pythonInt } from '../../server/src/engine/ini/configParser';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const skip = hasPython ? false : 'python3 is not installed';

/**
 * Python's own reading of each text, written to a file and read as the agent reads it
 * (`ConfigParser().read(path)`): the error read() raises, or every section's raw options and
 * what `get` (with interpolation) and `int()` make of each.
 */
const PYTHON_READER = String.raw`
import configparser, json, sys, tempfile, os
out = []
for text in json.load(sys.stdin):
    with tempfile.NamedTemporaryFile('wb', delete=False) as f:
        f.write(text.encode('utf-8', 'surrogatepass'))
        path = f.name
    cp = configparser.ConfigParser()
    try:
        cp.read(path, encoding='utf-8')
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError, configparser.MissingSectionHeaderError) as e:
        out.append({'error': [type(e).__name__, e.lineno - 1]}); continue
    except configparser.ParsingError as e:
        out.append({'error': ['ParsingError', e.errors[0][0] - 1]}); continue
    finally:
        os.unlink(path)
    sections = {}
    for name in [cp.default_section] + cp.sections():
        options = {}
        keys = cp.defaults().keys() if name == cp.default_section else cp._sections[name].keys()
        for key in keys:
            raw = cp.get(name, key, raw=True) if name != cp.default_section else cp.defaults()[key]
            try:
                got = cp.get(name, key)
            except configparser.Error as e:
                got = {'error': type(e).__name__}
            try:
                number = int(raw)
            except ValueError:
                number = None
            options[key] = [raw, got, number]
        sections[name] = options
    out.append({'sections': sections})
print(json.dumps(out))
`;

type PythonReading = { error: [string, number] } | { sections: Record<string, Record<string, [string, string | { error: string }, number | null]>> };

function readWithPython(texts: string[]): PythonReading[] {
  const run = spawnSync('python3', ['-c', PYTHON_READER], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as PythonReading[];
}

function readWithEngine(text: string): PythonReading {
  const document: IniDocument = parseIni(text);
  if (document.error) return { error: [document.error.kind, document.error.line] };
  const sections: Record<string, Record<string, [string, string | { error: string }, number | null]>> = {};
  const describe = (name: string, options: Map<string, { value: string }>) => {
    const described: Record<string, [string, string | { error: string }, number | null]> = {};
    for (const [key, option] of options) {
      const got = getValue(document, name, key)!;
      const number = pythonInt(option.value);
      described[key] = [option.value, got.ok ? got.value : { error: got.error }, number === undefined || !Number.isSafeInteger(number) ? null : number];
    }
    return described;
  };
  sections[DEFAULT_SECTION] = describe(DEFAULT_SECTION, document.defaults);
  for (const [name, options] of document.sections) sections[name] = describe(name, options);
  return { sections };
}

/** Python's big ints have no JavaScript counterpart; compare them as "not a small number". */
function normalizeBigInts(reading: PythonReading): PythonReading {
  if ('error' in reading) return reading;
  for (const options of Object.values(reading.sections)) for (const entry of Object.values(options)) if (entry[2] !== null && !Number.isSafeInteger(entry[2])) entry[2] = null;
  return reading;
}

function assertSameAsPython(texts: string[]): void {
  const python = readWithPython(texts);
  texts.forEach((text, index) => {
    assert.deepEqual(readWithEngine(text), normalizeBigInts(python[index]), `text: ${JSON.stringify(text)}`);
  });
}

/** Every rule the agent's files meet, one file each (issue 15 and agent-config-files.md §1). */
export const HAND_WRITTEN: readonly string[] = [
  '[workload]\nworkload_name = mysql\ncommand_path = /usr/bin\n',
  '[workload]\nWORKLOAD_NAME = mysql\n',
  '[Workload]\nworkload_name = mysql\n',
  '[workload]\nworkload_name: mysql\ntimeout:30\n',
  '[workload]\nworkload_name = "mysql"\n',
  "[workload]\nworkload_name = 'mysql'\n",
  '[SnapshotThread]\ntimeout = 30 # seconds\nMountsToSkip = /data ; /logs\n',
  '[SnapshotThread]\ntimeout = 30\ntimeout = 60\n',
  '[SnapshotThread]\nTimeout = 30\n[Monitor]\nRun = False\nrun = True\n',
  '[SnapshotThread]\ntimeout = 30\n[SnapshotThread]\nfsfreeze = True\n',
  '[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n[s]\nc = %(a)s-%(b)s\n',
  '[DEFAULT]\na = 1\na = 2\n',
  'workload_name = mysql\n',
  '# comment first\n\n[workload]\n',
  '\uFEFF[workload]\nworkload_name = mysql\n',
  '[workload]\r\nworkload_name = mysql\r\ncredString = -u root -p\r\n',
  '[workload]\rworkload_name = mysql\r',
  '[workload]\nworkload_name\n',
  '[workload]\nworkload_name =\ncommand_path =\ncredString=\n',
  '[workload]\n= mysql\n',
  '[workload]\n: mysql\nx = 1\n',
  '[workload]\ncredString = -u root -pse%cret\n',
  '[workload]\ncredString = -u root -pse%%cret\n',
  '[workload]\ncredString = -p%(missing)s\n',
  '[workload]\ncredString = -p%(timeout)s\ntimeout = 90\n',
  '[workload]\na = %(b)s\nb = %(a)s\n',
  '[workload]\na = %(\n',
  '[workload]\na = 100%\n',
  '[pre_post]\ntimeoutInSeconds: 1800\nnumberOfPlugins: 1\npluginName0: ScriptRunner\npluginPath0: /etc/azure\npluginConfigPath0: /etc/azure/VMSnapshotScriptPluginConfig.json\n',
  '[Pre_Post]\nnumberOfPlugins: 1\n',
  '[pre_post]\nnumberOfPlugins = 1_000\ntimeoutInSeconds = ３０\nx = -5\ny = +7\nz = 1__0\nw =  12  \n',
  '[workload]\ndbnames = a;\n  b;\n\n  c\n\n\nnext = 1\n',
  '[workload]\nvalue = first\n  # not a comment? it is\n  second\n',
  '[workload]\nvalue = first\n\tsecond\n   third\n',
  '  [workload]\n  a = 1\n    b = 2\n  c = 3\n',
  '[workload]\na = 1\n  [other]\n',
  '[workload] # the section\na = 1\n',
  '[a] b]\nx = 1\n',
  '[]\nx = 1\n',
  '[workload\nx = 1\n',
  '[workload]\ngarbage line\n  continued\nx = 1\n',
  '[workload]\nx = 1\ngarbage\nx = 2\n',
  '[workload]\na b c = d e f\n',
  '[workload]\nkey = a = b : c\n',
  '[workload]\nkey : a = b\n',
  '[workload]\n\u00a0key\u00a0=\u00a0v\u00a0\n',
  '[workload]\nkey\u2003= v\u3000\n',
  '[workload]\nkey = v\u000b\nother\u001c= w\n',
  '[workload]\n\u0085key = v\n',
  '[s]\nİ = dotted\nÉTÉ = summer\n',
  '',
  '\n\n',
  '; only a comment\n',
  '[s]\n; comment\n# comment\n  ; indented comment\nx=1\n',
  '[s]\nx = \n  continued\n',
  '[s]\n\n  x = 1\n',
  '[DEFAULT]\ntimeout = 30\n[SnapshotThread]\n',
  '[s]\nx = 1\n[DEFAULT]\nx = 2\n',
];

describe('INI reading as Python 3 configparser reads the agent\'s files', () => {
  it('agrees with python3 on every hand-written rule (sections, options, values, interpolation, int, errors)', { skip }, () => {
    assertSameAsPython([...HAND_WRITTEN]);
  });

  it('agrees with python3 on generated files', { skip }, () => {
    const piece = fc.constantFrom(
      '[workload]', '[DEFAULT]', '[SnapshotThread]', '[pre_post]', '[Workload]', '[a]', '[', ']', ' ', '  ', '\t', '\n', '\r\n', '\r',
      '=', ':', '#', ';', '%', '%%', '%(', ')s', '%(a)s', '%(timeout)s', 'a', 'timeout', 'Timeout', 'x', '1', '_', '-', '"', "'", '\u00a0', '\u3000', 'é', '\u0085', '\u000c',
    );
    const word = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
    const space = fc.constantFrom('', ' ', '  ', '\t', '\u00a0');
    const key = fc.constantFrom('a', 'A', 'timeout', 'Timeout', 'workload_name', 'x', 'b c', '');
    const line = fc.oneof(
      { arbitrary: fc.constantFrom('[workload]', '[DEFAULT]', '[SnapshotThread]', '[a]', '[workload] # note', '[Workload]'), weight: 2 },
      { arbitrary: fc.tuple(space, key, space, fc.constantFrom('=', ':'), space, word, space).map((parts) => parts.join('')), weight: 6 },
      { arbitrary: fc.constantFrom('', '# c', '; c', '  # c', '   '), weight: 2 },
      { arbitrary: word, weight: 1 },
    );
    const file = fc.tuple(fc.boolean(), fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r')).map(([header, lines, eol]) => [...(header ? ['[workload]'] : []), ...lines].join(eol));
    const texts = fc.sample(file, { numRuns: 1500, seed: 15 });
    assertSameAsPython(texts);
  });

  it('keeps going past errors for the editor: every option line is listed with its spans', () => {
    const document = parseIni('[workload]\nworkload_name = mysql\nworkload_name = oracle\nbroken\ntimeout :  30\n');
    assert.equal(document.error?.kind, 'DuplicateOptionError');
    assert.equal(document.error?.line, 2);
    assert.deepEqual(document.problems.map((problem) => problem.kind), ['DuplicateOptionError', 'ParsingError']);
    assert.deepEqual(document.options.map((option) => [option.key, option.value, option.nameSpan.start, option.valueSpan.start, option.valueSpan.end]), [
      ['workload_name', 'mysql', 0, 16, 21],
      ['workload_name', 'oracle', 0, 16, 22],
      ['timeout', '30', 0, 11, 13],
    ]);
  });
});
