/**
 * `vmsnapshot check` as users and CI run it: the bundled `dist/server.js`, spawned, on the
 * examples and on temporary VM roots built with real modes and owners.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it, test, TestContext } from 'node:test';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
const CONFIG_NAME = 'VMSnapshotScriptPluginConfig.json';
const GOOD_CONFIG = path.join('examples', 'good', 'etc', 'azure', CONFIG_NAME);
const MISTAKES_CONFIG = path.join('examples', 'mistakes', 'etc', 'azure', CONFIG_NAME);
const NOBODY = 65534;

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [SERVER_JS, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 20_000,
    // A fixed English locale and no colours, whatever the machine running the tests says.
    env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1', ...env },
  });
  assert.equal(result.error, undefined, `could not run the CLI: ${String(result.error)}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// --- the JSON contract -----------------------------------------------------------------------

interface JsonPosition {
  line: number;
  character: number;
}
interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: { start: JsonPosition; end: JsonPosition };
  file: string;
  agentCode?: number;
}
interface JsonEffective {
  timeoutInSeconds: number | null;
  timeoutLimitSeconds: number | null;
  pollSeconds: number;
  hostCapSeconds: number;
  preScriptNoOfRetries: number;
  postScriptNoOfRetries: number;
  continueBackupOnFailure: boolean;
  fsFreezeEnabled: boolean;
  preScriptArgv: string[] | null;
  postScriptArgv: string[] | null;
}
interface JsonFile {
  path: string;
  agent: { code: number; name: string; docName?: string; silent: boolean };
  effective: JsonEffective | null;
  diagnostics: JsonDiagnostic[];
}

/** The fields of `effective`, as the README's "JSON output" section documents them. */
const EFFECTIVE_KEYS = [
  'timeoutInSeconds',
  'pollSeconds',
  'timeoutLimitSeconds',
  'hostCapSeconds',
  'preScriptNoOfRetries',
  'postScriptNoOfRetries',
  'continueBackupOnFailure',
  'fsFreezeEnabled',
  'preScriptArgv',
  'postScriptArgv',
];

function assertPosition(value: unknown, where: string): void {
  assert.ok(typeof value === 'object' && value !== null, `${where} is an object`);
  const { line, character } = value as Record<string, unknown>;
  assert.ok(Number.isInteger(line) && (line as number) >= 0, `${where}.line is a 0-based integer`);
  assert.ok(Number.isInteger(character) && (character as number) >= 0, `${where}.character is a 0-based integer`);
}

/** Parses stdout as exactly one JSON document and checks every field of the documented contract. */
function parseJsonReport(stdout: string): JsonFile[] {
  let report: unknown;
  assert.doesNotThrow(() => (report = JSON.parse(stdout)), `stdout is not one JSON document:\n${stdout}`);
  assert.ok(typeof report === 'object' && report !== null && !Array.isArray(report));
  assert.deepEqual(Object.keys(report), ['files']);
  const files = (report as { files: unknown }).files;
  assert.ok(Array.isArray(files));
  for (const [index, file] of (files as Record<string, unknown>[]).entries()) {
    const where = `files[${index}]`;
    assert.equal(typeof file.path, 'string', `${where}.path`);
    assert.equal(typeof file.complete, 'boolean', `${where}.complete`);
    if (file.agent === null) {
      assert.equal(file.complete, false, `${where}: no agent result only for a config that could not be read`);
      continue;
    }
    const agent = file.agent as Record<string, unknown>;
    assert.ok(Number.isInteger(agent.code), `${where}.agent.code`);
    for (const key of ['snapshot', 'frozen', 'backupFails']) assert.equal(typeof agent[key], 'boolean', `${where}.agent.${key}`);
    assert.ok(['application', 'file-system', 'crash', 'none'].includes(agent.consistency as string), `${where}.agent.consistency`);
    assert.equal(typeof agent.name, 'string', `${where}.agent.name`);
    if ('docName' in agent) assert.equal(typeof agent.docName, 'string', `${where}.agent.docName`);
    assert.equal(typeof agent.silent, 'boolean', `${where}.agent.silent`);
    if ('consistencyNotAchieved' in agent) {
      const verdict = agent.consistencyNotAchieved as Record<string, unknown>;
      assert.deepEqual(Object.keys(verdict).sort(), ['code', 'file', 'line'], `${where}.agent.consistencyNotAchieved`);
      assert.ok(typeof verdict.code === 'string' && typeof verdict.file === 'string' && Number.isInteger(verdict.line), `${where}.agent.consistencyNotAchieved types`);
    }
    assert.deepEqual(Object.keys(file).sort(), ['agent', 'complete', 'diagnostics', 'effective', 'path'], `${where} has exactly the documented fields`);
    assert.deepEqual(
      Object.keys(agent).filter((key) => !['code', 'name', 'docName', 'silent', 'snapshot', 'frozen', 'consistency', 'backupFails', 'consistencyNotAchieved'].includes(key)),
      [],
      `${where}.agent has only the documented fields`,
    );
    if (file.effective !== null) {
      const effective = file.effective as Record<string, unknown>;
      assert.deepEqual(Object.keys(effective).sort(), [...EFFECTIVE_KEYS].sort(), `${where}.effective has exactly the documented fields`);
      for (const key of ['timeoutLimitSeconds']) assert.ok(effective[key] === null || typeof effective[key] === 'number', `${where}.effective.${key}`);
      assert.equal(typeof effective.hostCapSeconds, 'number', `${where}.effective.hostCapSeconds`);
      for (const key of ['pollSeconds', 'preScriptNoOfRetries', 'postScriptNoOfRetries']) assert.equal(typeof effective[key], 'number', `${where}.effective.${key}`);
      assert.ok(effective.timeoutInSeconds === null || typeof effective.timeoutInSeconds === 'number', `${where}.effective.timeoutInSeconds`);
      for (const key of ['continueBackupOnFailure', 'fsFreezeEnabled']) assert.equal(typeof effective[key], 'boolean', `${where}.effective.${key}`);
      for (const key of ['preScriptArgv', 'postScriptArgv']) {
        const argv = effective[key];
        assert.ok(argv === null || (Array.isArray(argv) && argv.every((arg) => typeof arg === 'string')), `${where}.effective.${key}`);
      }
    }
    assert.ok(Array.isArray(file.diagnostics), `${where}.diagnostics`);
    for (const [n, diagnostic] of (file.diagnostics as Record<string, unknown>[]).entries()) {
      const at = `${where}.diagnostics[${n}]`;
      assert.equal(typeof diagnostic.code, 'string', `${at}.code`);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(diagnostic.severity as string), `${at}.severity`);
      assert.equal(typeof diagnostic.message, 'string', `${at}.message`);
      assert.equal(typeof diagnostic.file, 'string', `${at}.file`);
      if ('agentCode' in diagnostic) assert.ok(Number.isInteger(diagnostic.agentCode), `${at}.agentCode`);
      assert.deepEqual(
        Object.keys(diagnostic).filter((key) => !['code', 'severity', 'message', 'range', 'file', 'agentCode'].includes(key)),
        [],
        `${at} has only the documented fields`,
      );
      const range = diagnostic.range as Record<string, unknown>;
      assertPosition(range.start, `${at}.range.start`);
      assertPosition(range.end, `${at}.range.end`);
    }
  }
  return files as JsonFile[];
}

function checkJson(args: string[], env?: NodeJS.ProcessEnv): { status: number | null; files: JsonFile[] } {
  const result = runCli(['check', '--format', 'json', ...args], env);
  return { status: result.status, files: parseJsonReport(result.stdout) };
}

function codes(file: JsonFile): string[] {
  return file.diagnostics.map((diagnostic) => diagnostic.code);
}

// --- temporary VM roots ----------------------------------------------------------------------

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix = 'vmsnapshot-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

interface VmLayout {
  config?: Record<string, unknown> | string;
  configMode?: number;
  /** undefined: no such file. */
  preMode?: number;
  postMode?: number;
  preOwner?: number;
  configOwner?: number;
  hostConf?: { text: string; mode: number };
}

const DEFAULT_CONFIG = {
  pluginName: 'ScriptRunner',
  preScriptLocation: '/etc/azure/pre-script.sh',
  postScriptLocation: '/etc/azure/post-script.sh',
  preScriptParams: [],
  postScriptParams: [],
  timeoutInSeconds: 30,
  continueBackupOnFailure: true,
  fsFreezeEnabled: true,
  ScriptsExecutionPollTimeSeconds: 3,
};

/** A folder standing for the VM's `/`, with the given modes set by chmod (not by umask). */
function buildVmRoot(layout: VmLayout, prefix?: string): { root: string; configPath: string } {
  const root = tempDir(prefix);
  const azure = path.join(root, 'etc', 'azure');
  fs.mkdirSync(azure, { recursive: true });
  const configPath = path.join(azure, CONFIG_NAME);
  const config = layout.config ?? DEFAULT_CONFIG;
  fs.writeFileSync(configPath, typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`);
  fs.chmodSync(configPath, layout.configMode ?? 0o600);
  for (const [name, mode] of [['pre-script.sh', layout.preMode], ['post-script.sh', layout.postMode]] as const) {
    if (mode === undefined) continue;
    const script = path.join(azure, name);
    fs.writeFileSync(script, '#!/bin/sh\nexit 0\n');
    fs.chmodSync(script, mode);
  }
  if (layout.preOwner !== undefined) fs.chownSync(path.join(azure, 'pre-script.sh'), layout.preOwner, layout.preOwner);
  if (layout.configOwner !== undefined) fs.chownSync(configPath, layout.configOwner, layout.configOwner);
  if (layout.hostConf) {
    const hostConf = path.join(azure, 'VMSnapshotPluginHost.conf');
    fs.writeFileSync(hostConf, layout.hostConf.text);
    fs.chmodSync(hostConf, layout.hostConf.mode);
  }
  return { root, configPath };
}

const isRoot = process.getuid?.() === 0;

/** Owner checks need files owned by root (and by someone else): only root can make both. */
function requireRoot(t: TestContext): boolean {
  if (isRoot) return true;
  t.skip('needs root: the agent wants root-owned files, and only root can chown test files to root and to nobody');
  return false;
}

/** The pt-br bundle entry for an English message, with its {n} placeholders filled in. */
function portugueseFor(english: string, ...args: (string | number)[]): string {
  const bundlePath = path.join(REPO_ROOT, 'l10n', 'bundle.l10n.pt-br.json');
  assert.ok(fs.existsSync(bundlePath), `${bundlePath} does not exist yet: the Portuguese messages cannot be checked`);
  const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8')) as Record<string, string | { message: string }>;
  const entry = bundle[english];
  assert.ok(entry, `the pt-br bundle has no entry for "${english}"`);
  const message = typeof entry === 'string' ? entry : entry.message;
  return message.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)]));
}

// --- tests -----------------------------------------------------------------------------------

describe('check --format json on the examples', () => {
  test('examples/good: exit 0, Success, and the values the agent will use', () => {
    const { status, files } = checkJson([GOOD_CONFIG]);
    assert.equal(status, 0);
    assert.equal(files.length, 1);
    const [file] = files;
    assert.equal(file.path, GOOD_CONFIG);
    assert.deepEqual(file.agent, { code: 0, name: 'Success', silent: false, snapshot: true, frozen: true, consistency: 'application', backupFails: false });
    assert.deepEqual(
      file.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
      [],
    );
    assert.ok(file.effective);
    // The README's example, value for value.
    assert.deepEqual(file.effective, {
      timeoutInSeconds: 30,
      pollSeconds: 3,
      timeoutLimitSeconds: 30,
      hostCapSeconds: 1800,
      preScriptNoOfRetries: 0,
      postScriptNoOfRetries: 0,
      continueBackupOnFailure: true,
      fsFreezeEnabled: true,
      preScriptArgv: ['sh', '/etc/azure/pre-script.sh', '--log', '/var/log/azure-backup-prepost.log'],
      postScriptArgv: ['sh', '/etc/azure/post-script.sh', '--log', '/var/log/azure-backup-prepost.log'],
    });
  });

  test('examples/mistakes: exit 1, 305 with no effective values, and each mistake at its place', () => {
    const { status, files } = checkJson([MISTAKES_CONFIG]);
    assert.equal(status, 1);
    const [file] = files;
    assert.equal(file.agent.code, 305);
    assert.equal(file.agent.name, 'FailedPrepostPluginConfigParsing');
    assert.equal(file.agent.docName, 'IncorrectJSONConfigFile');
    assert.equal(file.effective, null, 'the agent cannot load this config');
    for (const diagnostic of file.diagnostics) assert.equal(diagnostic.file, MISTAKES_CONFIG);

    const source = fs.readFileSync(path.join(REPO_ROOT, MISTAKES_CONFIG), 'utf8').split('\n');
    const find = (needle: string) => {
      const line = source.findIndex((text) => text.includes(needle));
      assert.notEqual(line, -1, `${needle} is in the example`);
      const character = source[line].indexOf(needle);
      return { start: { line, character }, end: { line, character: character + needle.length } };
    };
    const at = (code: string, needle: string): JsonDiagnostic => {
      const range = find(needle);
      const found = file.diagnostics.find((diagnostic) => diagnostic.code === code && diagnostic.range.start.line === range.start.line);
      assert.ok(found, `no ${code} on line ${range.start.line + 1}: ${JSON.stringify(codes(file))}`);
      return found;
    };
    const comment = at('IncorrectJSONConfigFile', '// Copied');
    assert.deepEqual(comment.range, { start: find('// Copied').start, end: { line: find('// Copied').start.line, character: source[1].length } });
    assert.equal(comment.severity, 'error');
    assert.equal(comment.agentCode, 305);
    const relative = at('Pre-ScriptNotFound', '"pre-script.sh"');
    assert.deepEqual(relative.range, find('"pre-script.sh"'));
    assert.equal(relative.severity, 'error');
    const typo = at('UnknownKey', '"postScriptLocaton"');
    assert.deepEqual(typo.range, find('"postScriptLocaton"'));
    assert.equal(typo.severity, 'warning');
    assert.match(typo.message, /postScriptLocation/);
    assert.equal(at('ParamsSplitIntoCharacters', '"--flush"').severity, 'error');
    assert.equal(at('BackupFails', '"false"').severity, 'error');
    assert.equal(at('StaleKey', '"disableFsFreeze"').severity, 'warning');
    assert.ok(file.diagnostics.some((d) => d.code === 'IncorrectJSONConfigFile' && /postScriptLocation/.test(d.message)), 'the missing required key is reported');
  });

  test('a folder expands to every config below it, in a stable order, as one JSON document', () => {
    const { status, files } = checkJson(['examples']);
    assert.equal(status, 1, 'one of the examples has errors');
    assert.deepEqual(
      files.map((file) => file.path),
      [GOOD_CONFIG, MISTAKES_CONFIG],
    );
  });
});

describe('how the agent reads the file', () => {
  test('a UTF-8 BOM on disk is reported at 1:1 and makes the agent fail with 305', () => {
    const { configPath } = buildVmRoot({ config: `\uFEFF${JSON.stringify(DEFAULT_CONFIG)}` });
    const { status, files } = checkJson(['--file-checks', 'off', configPath]);
    assert.equal(status, 1);
    assert.equal(files[0].agent.code, 305);
    assert.equal(files[0].effective, null);
    assert.deepEqual(
      files[0].diagnostics.map((d) => [d.code, d.range]),
      [['IncorrectJSONConfigFile', { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }]],
    );
  });

  test('bytes that are not UTF-8: 305', () => {
    const { configPath } = buildVmRoot({});
    fs.writeFileSync(configPath, Buffer.from('{"preScriptLocation": "/etc/azure/\xff.sh", "postScriptLocation": "/x"}', 'latin1'));
    const { status, files } = checkJson(['--file-checks', 'off', configPath]);
    assert.equal(status, 1);
    assert.equal(files[0].agent.code, 305);
    assert.deepEqual(codes(files[0]), ['IncorrectJSONConfigFile']);
  });

  test('--root on a VM without a config: 316, exit 1', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'etc', 'azure'), { recursive: true });
    const { status, files } = checkJson(['--root', root]);
    assert.equal(status, 1);
    assert.equal(files[0].agent.code, 316);
    assert.equal(files[0].agent.name, 'FailedPrepostPluginConfigNotFound');
    assert.equal(files[0].effective, null);
    assert.equal(files[0].path, path.join(root, 'etc', 'azure', CONFIG_NAME));
  });
});

describe('exit status 2 for usage errors', () => {
  for (const [what, args] of [
    ['an unknown flag', ['check', '--frobnicate', GOOD_CONFIG]],
    ['a path that does not exist', ['check', '--format', 'json', path.join('examples', 'no-such-folder')]],
    ['--format bogus', ['check', '--format', 'bogus', GOOD_CONFIG]],
    ['--format without a value', ['check', GOOD_CONFIG, '--format']],
    ['--file-checks maybe', ['check', '--file-checks', 'maybe', GOOD_CONFIG]],
    ['--root that is not a folder', ['check', '--root', path.join(REPO_ROOT, 'package.json'), GOOD_CONFIG]],
    ['an unknown command', ['frobnicate']],
  ] as const) {
    test(what, () => {
      const result = runCli([...args]);
      assert.equal(result.status, 2, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
      assert.equal(result.stdout, '', 'nothing on stdout: a JSON consumer must not get half a report');
      assert.match(result.stderr, /^vmsnapshot: /);
    });
  }

  test('a folder without any config is a usage error too', () => {
    const empty = tempDir();
    const result = runCli(['check', empty]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no VMSnapshotScriptPluginConfig\.json/);
  });
});

describe('effective timeout', () => {
  // A workspace copy (no --root): files exist but modes are not judged, so no root is needed.
  const cases: [string, Record<string, unknown>, number | null, number | null][] = [
    ['capped at 1800', { timeoutInSeconds: 5000 }, 1800, 1800],
    ['rounded up to the poll step (31 s every 4 s → 32 s)', { timeoutInSeconds: 31, ScriptsExecutionPollTimeSeconds: 4 }, 31, 32],
    ['the agent default of 10 s, polled every 3 s → 12 s', {}, 10, 12],
    ['1799 s every 5 s → 1800 s', { timeoutInSeconds: 1799, ScriptsExecutionPollTimeSeconds: 5 }, 1799, 1800],
  ];
  for (const [what, overrides, timeout, limit] of cases) {
    test(what, () => {
      const config: Record<string, unknown> = { preScriptLocation: '/etc/azure/pre-script.sh', postScriptLocation: '/etc/azure/post-script.sh', ...overrides };
      const { configPath } = buildVmRoot({ config, preMode: 0o700, postMode: 0o700 });
      const { status, files } = checkJson([configPath]);
      assert.equal(status, 0, JSON.stringify(files[0].diagnostics));
      assert.equal(files[0].effective?.timeoutInSeconds, timeout);
      assert.equal(files[0].effective?.timeoutLimitSeconds, limit);
    });
  }

  test('a lower cap in VMSnapshotPluginHost.conf wins over the 1800 s default', (t) => {
    if (!requireRoot(t)) return;
    const { root } = buildVmRoot({
      config: { ...DEFAULT_CONFIG, timeoutInSeconds: 600 },
      preMode: 0o700,
      postMode: 0o700,
      hostConf: { text: '[pre_post]\ntimeoutInSeconds=120\nnumberOfPlugins=1\npluginName0=ScriptRunner\npluginPath0=ScriptRunner.py\npluginConfigPath0=/etc/azure/VMSnapshotScriptPluginConfig.json\n', mode: 0o644 },
    });
    const { status, files } = checkJson(['--root', root]);
    assert.equal(status, 0, JSON.stringify(files[0].diagnostics));
    assert.equal(files[0].effective?.timeoutInSeconds, 120);
    assert.equal(files[0].effective?.hostCapSeconds, 120);
    assert.ok(codes(files[0]).includes('TimeoutCapped'));
  });
});

describe('check --root on a VM root with real modes and owners', () => {
  const predict = (layout: VmLayout): JsonFile & { status: number | null } => {
    const { root, configPath } = buildVmRoot(layout);
    // No path: with --root the CLI checks <root>/etc/azure/VMSnapshotScriptPluginConfig.json.
    const { status, files } = checkJson(['--root', root]);
    assert.equal(files.length, 1);
    assert.equal(path.resolve(REPO_ROOT, files[0].path), configPath);
    return { ...files[0], status };
  };

  test('config 600, scripts 700, all owned by root: 0 Success, exit 0', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ preMode: 0o700, postMode: 0o700 });
    assert.equal(result.agent.code, 0, JSON.stringify(result.diagnostics));
    assert.equal(result.status, 0);
    assert.deepEqual(codes(result), []);
  });

  test('config 644: 317', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ configMode: 0o644, preMode: 0o700, postMode: 0o700 });
    assert.equal(result.agent.code, 317);
    assert.equal(result.agent.name, 'FailedPrepostPluginConfigPermissionError');
    assert.equal(result.effective, null);
    assert.equal(result.status, 1);
    assert.deepEqual(codes(result), ['PluginConfigPermission']);
    assert.match(result.diagnostics[0].message, /644/);
  });

  test('config 700 (owner execute bit): 317 as well', (t) => {
    if (!requireRoot(t)) return;
    assert.equal(predict({ configMode: 0o700, preMode: 0o700, postMode: 0o700 }).agent.code, 317);
  });

  test('config owned by nobody: 317', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ configOwner: NOBODY, preMode: 0o700, postMode: 0o700 });
    assert.equal(result.agent.code, 317);
    assert.match(result.diagnostics.find((d) => d.code === 'PluginConfigPermission')?.message ?? '', /65534/);
  });

  test('missing pre-script: 302 Pre-ScriptNotFound at the path', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ postMode: 0o700 });
    assert.equal(result.agent.code, 302);
    assert.equal(result.agent.docName, 'Pre-ScriptNotFound');
    assert.equal(result.status, 1);
    const [missing] = result.diagnostics;
    assert.equal(missing.code, 'Pre-ScriptNotFound');
    assert.equal(missing.agentCode, 302);
    // "preScriptLocation": "/etc/azure/pre-script.sh" is on line 3 of the pretty-printed config.
    assert.deepEqual(missing.range, { start: { line: 2, character: 23 }, end: { line: 2, character: 49 } });
  });

  test('pre-script 755: 306', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ preMode: 0o755, postMode: 0o700 });
    assert.equal(result.agent.code, 306);
    assert.equal(result.agent.docName, 'InsufficientPermissionforPre-Script');
    assert.deepEqual(codes(result), ['InsufficientPermissionforPre-Script']);
  });

  test('pre-script 600 (no execute bit) passes: only group and other digits count', (t) => {
    if (!requireRoot(t)) return;
    assert.equal(predict({ preMode: 0o600, postMode: 0o500 }).agent.code, 0);
  });

  test('pre-script owned by nobody: 306', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ preMode: 0o700, postMode: 0o700, preOwner: NOBODY });
    assert.equal(result.agent.code, 306);
    assert.match(result.diagnostics[0].message, /65534/);
  });

  test('missing post-script: 303; post-script 750: 307', (t) => {
    if (!requireRoot(t)) return;
    const missing = predict({ preMode: 0o700 });
    assert.equal(missing.agent.code, 303);
    assert.equal(missing.agent.docName, 'Post-ScriptNotFound');
    assert.deepEqual(codes(missing), ['Post-ScriptNotFound']);
    const open = predict({ preMode: 0o700, postMode: 0o750 });
    assert.equal(open.agent.code, 307);
    assert.equal(open.agent.docName, 'InsufficientPermissionforPost-Script');
  });

  test('the first failure in the agent\'s order wins: config 644 and a missing pre-script → 317, both reported', (t) => {
    if (!requireRoot(t)) return;
    const result = predict({ configMode: 0o644, postMode: 0o700 });
    assert.equal(result.agent.code, 317);
    assert.ok(codes(result).includes('PluginConfigPermission'));
  });

  test('--file-checks off looks at no file: a missing pre-script is not reported', (t) => {
    if (!requireRoot(t)) return;
    const { root } = buildVmRoot({ postMode: 0o700, configMode: 0o644 });
    const { status, files } = checkJson(['--root', root, '--file-checks', 'off']);
    assert.equal(status, 0);
    assert.equal(files[0].agent.code, 0);
  });
});

describe('SARIF output', () => {
  test('is SARIF 2.1.0 with rule ids, levels and 1-based regions', () => {
    const result = runCli(['check', '--format', 'sarif', MISTAKES_CONFIG]);
    assert.equal(result.status, 1);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      $schema?: string;
      runs: {
        tool: { driver: { name: string; rules?: { id: string }[] } };
        results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, 'vmsnapshot');
    const json = checkJson([MISTAKES_CONFIG]).files[0];
    assert.equal(run.results.length, json.diagnostics.length);
    const ruleIds = new Set((run.tool.driver.rules ?? []).map((rule) => rule.id));
    const levels: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
    run.results.forEach((sarifResult, index) => {
      const diagnostic = json.diagnostics[index];
      assert.equal(sarifResult.ruleId, diagnostic.code);
      assert.ok(ruleIds.has(sarifResult.ruleId), `${sarifResult.ruleId} is declared in tool.driver.rules`);
      assert.equal(sarifResult.level, levels[diagnostic.severity]);
      assert.equal(sarifResult.message.text, diagnostic.message);
      const [location] = sarifResult.locations;
      assert.equal(location.physicalLocation.artifactLocation.uri, MISTAKES_CONFIG);
      assert.deepEqual(location.physicalLocation.region, {
        startLine: diagnostic.range.start.line + 1,
        startColumn: diagnostic.range.start.character + 1,
        endLine: diagnostic.range.end.line + 1,
        endColumn: diagnostic.range.end.character + 1,
      });
    });
  });

  test('artifact locations are valid URI references, also for paths with spaces', () => {
    const { configPath } = buildVmRoot({ config: '{ // comment\n}\n', preMode: 0o700, postMode: 0o700 }, 'vmsnapshot cli with space-');
    const result = runCli(['check', '--format', 'sarif', configPath]);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.length > 0);
    for (const uri of uris) {
      // RFC 3986 allows no spaces in a URI reference: SARIF consumers resolve `uri` as one.
      assert.doesNotMatch(uri, /\s/, `not a valid URI reference: "${uri}"`);
      assert.equal(decodeURIComponent(new URL(uri, 'file:///').pathname), configPath);
    }
  });
});

describe('text output', () => {
  test('compiler-style lines `path:line:col: severity code: message` matching the JSON report', () => {
    const text = runCli(['check', MISTAKES_CONFIG]);
    assert.equal(text.status, 1);
    assert.doesNotMatch(text.stdout, /\x1b\[/, 'no colours when stdout is not a terminal');
    const json = checkJson([MISTAKES_CONFIG]).files[0];
    const pattern = /^(.+):(\d+):(\d+): (error|warning|information|hint) (\S+): (.+)$/;
    const lines = text.stdout.split('\n').filter((line) => pattern.test(line));
    assert.equal(lines.length, json.diagnostics.length, text.stdout);
    lines.forEach((line, index) => {
      const [, file, lineNumber, column, severity, code, message] = pattern.exec(line)!;
      const diagnostic = json.diagnostics[index];
      assert.equal(file, diagnostic.file);
      assert.equal(Number(lineNumber), diagnostic.range.start.line + 1);
      assert.equal(Number(column), diagnostic.range.start.character + 1);
      assert.equal(severity, diagnostic.severity);
      assert.equal(code, diagnostic.code);
      assert.equal(message, diagnostic.message);
    });
    assert.match(text.stdout, new RegExp(`^${MISTAKES_CONFIG.replace(/[.]/g, '\\.')}: agent result: 305 FailedPrepostPluginConfigParsing \\(IncorrectJSONConfigFile\\)$`, 'm'));
  });

  test('a clean config prints only its summary and exits 0', () => {
    const result = runCli(['check', GOOD_CONFIG]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /agent result: 0 Success/);
    assert.doesNotMatch(result.stdout, /: error /);
  });
});

describe('--locale', () => {
  test('pt-br translates the messages', () => {
    const english = checkJson([MISTAKES_CONFIG]).files[0];
    const portuguese = checkJson(['--locale', 'pt-br', MISTAKES_CONFIG]).files[0];
    assert.deepEqual(codes(portuguese), codes(english), 'the codes are stable across languages');
    const typo = (file: JsonFile) => file.diagnostics.find((d) => d.code === 'UnknownKey')!.message;
    assert.notEqual(typo(portuguese), typo(english), 'the message is still in English');
    const expected = portugueseFor(
      'Unknown key "{0}": the agent ignores it silently (keys are case-sensitive). Did you mean "{1}"?',
      'postScriptLocaton',
      'postScriptLocation',
    );
    assert.equal(typo(portuguese), expected);
  });

  test('LANG=pt_BR.UTF-8 selects Portuguese too, and --locale en overrides it', () => {
    const fromEnvironment = checkJson([MISTAKES_CONFIG], { LANG: 'pt_BR.UTF-8' }).files[0];
    const forcedEnglish = checkJson(['--locale', 'en', MISTAKES_CONFIG], { LANG: 'pt_BR.UTF-8' }).files[0];
    const english = checkJson([MISTAKES_CONFIG]).files[0];
    assert.deepEqual(
      forcedEnglish.diagnostics.map((d) => d.message),
      english.diagnostics.map((d) => d.message),
    );
    assert.notDeepEqual(
      fromEnvironment.diagnostics.map((d) => d.message),
      english.diagnostics.map((d) => d.message),
      'LANG=pt_BR.UTF-8 left the messages in English',
    );
  });
});

describe('vmsnapshot check: the scripts themselves', () => {
  const hasShellCheck = spawnSync('shellcheck', ['--version']).status === 0;

  function workspaceWithScripts(): string {
    const dir = tempDir('vmsnapshot-cli-scripts-');
    fs.mkdirSync(path.join(dir, 'etc', 'azure'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'etc/azure/VMSnapshotScriptPluginConfig.json'), JSON.stringify({ preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 30 }));
    // Line 2 breaks under dash; line 3 has an unquoted variable, which only ShellCheck reports.
    fs.writeFileSync(path.join(dir, 'etc/azure/pre.sh'), '#!/bin/bash\nif [[ -f /etc/hosts ]]; then exec >>/tmp/x.log 2>&1; fi\necho $1\n');
    fs.writeFileSync(path.join(dir, 'etc/azure/post.sh'), 'exec >>/tmp/x.log 2>&1\nexit 0\n');
    return dir;
  }

  it('lists script findings with their own file and line, and SARIF locates them there', () => {
    const dir = workspaceWithScripts();
    try {
      const pre = path.join(dir, 'etc/azure/pre.sh');
      const { status, files } = checkJson(['--no-shellcheck', dir]);
      assert.equal(status, 1);
      const notPosix = files[0].diagnostics.find((diagnostic) => diagnostic.code === 'ScriptNotPosix');
      assert.equal(notPosix?.file, pre);
      assert.equal(notPosix?.range.start.line, 1);
      assert.ok(!files[0].diagnostics.some((diagnostic) => /^SC\d+$/.test(diagnostic.code)), '--no-shellcheck runs none');

      const sarif = JSON.parse(runCli(['check', '--format', 'sarif', '--no-shellcheck', dir]).stdout) as {
        runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
      };
      const result = sarif.runs[0].results.find((candidate) => candidate.ruleId === 'ScriptNotPosix');
      assert.equal(result?.locations[0].physicalLocation.artifactLocation.uri, pathToFileURL(pre).toString());
      assert.equal(result?.locations[0].physicalLocation.region.startLine, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says "application consistency not achieved" beside Success when a script quiesces nothing', () => {
    const dir = tempDir('vmsnapshot-cli-behaviour-');
    fs.mkdirSync(path.join(dir, 'etc', 'azure'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'etc/azure/VMSnapshotScriptPluginConfig.json'), JSON.stringify({ preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 30 }));
    fs.writeFileSync(path.join(dir, 'etc/azure/pre.sh'), 'exec >>/tmp/x.log 2>&1\nmysql -e "FLUSH TABLES WITH READ LOCK"\nexit 0\n');
    fs.writeFileSync(path.join(dir, 'etc/azure/post.sh'), 'exec >>/tmp/x.log 2>&1\nexit 0\n');
    const { files } = checkJson(['--no-shellcheck', dir]);
    const agent = files[0].agent as unknown as { code: number; consistencyNotAchieved?: unknown };
    assert.equal(agent.code, 0);
    assert.deepEqual(agent.consistencyNotAchieved, { code: 'LockReleasedAtOnce', file: path.join(dir, 'etc/azure/pre.sh'), line: 1 });
    const text = runCli(['check', '--no-shellcheck', dir]).stdout;
    assert.match(text, /agent result: 0 Success · application consistency not achieved \(LockReleasedAtOnce, pre\.sh:2\)/);
    // A good script keeps plain Success.
    const good = checkJson([GOOD_CONFIG]).files[0].agent as unknown as Record<string, unknown>;
    assert.equal('consistencyNotAchieved' in good, false);
  });

  it('adds ShellCheck\'s findings when it is installed', { skip: hasShellCheck ? false : 'shellcheck is not installed (apt-get install shellcheck)' }, () => {
    const dir = workspaceWithScripts();
    try {
      const { files } = checkJson([dir]);
      const sc2086 = files[0].diagnostics.find((diagnostic) => diagnostic.code === 'SC2086');
      assert.equal(sc2086?.file, path.join(dir, 'etc/azure/pre.sh'));
      assert.equal(sc2086?.range.start.line, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('issue 9: agent truths and what this user cannot read, through the CLI', () => {
  const withConfig = (config: unknown): string[] => {
    const { root } = buildVmRoot({ config: config as typeof DEFAULT_CONFIG, preMode: 0o700, postMode: 0o700 });
    return ['--root', root];
  };

  for (const value of [null, 5, ['/etc/azure/pre-script.sh']]) {
    test(`preScriptLocation ${JSON.stringify(value)}: 304 IncorrectPluginhostFile, before any script check`, () => {
      const { status, files } = checkJson(withConfig({ ...DEFAULT_CONFIG, preScriptLocation: value }));
      assert.equal(status, 1);
      assert.equal(files[0].agent.code, 304);
      assert.ok(codes(files[0]).includes('IncorrectPluginhostFile'), codes(files[0]).join(' '));
      assert.ok(!codes(files[0]).includes('Pre-ScriptNotFound'));
    });
  }

  test('a non-string pluginName with a missing required key: 304, not 305', () => {
    const { postScriptLocation: _dropped, ...config } = { ...DEFAULT_CONFIG, pluginName: 7 };
    const { files } = checkJson(withConfig(config));
    assert.equal(files[0].agent.code, 304);
  });

  test('timeoutInSeconds NaN: success when the scripts exit 0, with a TimeoutNeverFires warning', (t) => {
    if (!requireRoot(t)) return;
    const { root } = buildVmRoot({ preMode: 0o700, postMode: 0o700 });
    const configPath = path.join(root, 'etc', 'azure', CONFIG_NAME);
    fs.writeFileSync(configPath, fs.readFileSync(configPath, 'utf8').replace(/"timeoutInSeconds":\s*[0-9.]+/, '"timeoutInSeconds": NaN'));
    const { status, files } = checkJson(['--root', root]);
    assert.equal(files[0].agent.code, 0, JSON.stringify(files[0].diagnostics));
    assert.equal(status, 0);
    assert.ok(files[0].diagnostics.some((d) => d.code === 'TimeoutNeverFires' && d.severity === 'warning'));
  });

  test('a relative script path found in the extension folder under --root: found, with a warning', (t) => {
    if (!requireRoot(t)) return;
    const { root } = buildVmRoot({ config: { ...DEFAULT_CONFIG, preScriptLocation: 'pre-script.sh' }, preMode: 0o700, postMode: 0o700 });
    const extension = path.join(root, 'var', 'lib', 'waagent', 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0');
    fs.mkdirSync(extension, { recursive: true });
    fs.copyFileSync(path.join(root, 'etc', 'azure', 'pre-script.sh'), path.join(extension, 'pre-script.sh'));
    const found = checkJson(['--root', root]);
    assert.equal(found.files[0].agent.code, 0, JSON.stringify(found.files[0].diagnostics));
    const warning = found.files[0].diagnostics.find((d) => d.code === 'RelativeScriptPath');
    assert.equal(warning?.severity, 'warning');
    assert.match(warning!.message, /VMSnapshotLinux-1\.0\.9225\.0/);
    fs.rmSync(path.join(extension, 'pre-script.sh'));
    assert.equal(checkJson(['--root', root]).files[0].agent.code, 302);
  });

  for (const shape of ['missing', 'a folder', 'a dangling link']) {
    test(`--root whose config is ${shape}: 316 PluginConfigNotFound in every format, exit 1`, () => {
      const root = tempDir();
      const azure = path.join(root, 'etc', 'azure');
      fs.mkdirSync(azure, { recursive: true });
      if (shape === 'a folder') fs.mkdirSync(path.join(azure, CONFIG_NAME));
      if (shape === 'a dangling link') fs.symlinkSync(path.join(azure, 'nowhere.json'), path.join(azure, CONFIG_NAME));
      const json = checkJson(['--root', root]);
      assert.equal(json.status, 1);
      assert.equal(json.files[0].agent.code, 316);
      assert.equal((json.files[0].agent as unknown as { consistency: string }).consistency, 'file-system');
      const text = runCli(['check', '--root', root]);
      assert.equal(text.status, 1);
      assert.match(text.stdout, /PluginConfigNotFound/);
      assert.match(text.stdout, /316 FailedPrepostPluginConfigNotFound/);
      const sarif = runCli(['check', '--format', 'sarif', '--root', root]);
      assert.equal(sarif.status, 1);
      assert.match(sarif.stdout, /"ruleId": "PluginConfigNotFound"/);
    });
  }

  test('as a user who may not read /etc/azure: no agent failure, CannotReadAsThisUser, exit 2', (t) => {
    if (!requireRoot(t)) return;
    const { root } = buildVmRoot({ preMode: 0o700, postMode: 0o700 });
    // The layout of a real VM: /etc/azure readable by root only.
    fs.chmodSync(path.join(root, 'etc', 'azure'), 0o700);
    fs.chmodSync(root, 0o755);
    fs.chmodSync(path.join(root, 'etc'), 0o755);
    const result = spawnSync(process.execPath, [SERVER_JS, 'check', '--format', 'json', '--root', root], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      uid: NOBODY,
      gid: NOBODY,
      env: { ...process.env, LANG: 'C', NO_COLOR: '1' },
    });
    if (result.status !== 0 && /EACCES|permission denied|Cannot find module/i.test(result.stderr)) {
      t.skip('the checkout itself is not readable by nobody');
      return;
    }
    assert.equal(result.status, 2, result.stderr);
    const report = JSON.parse(result.stdout) as { files: Array<{ agent: unknown; complete: boolean; diagnostics: JsonDiagnostic[] }> };
    assert.equal(report.files[0].agent, null);
    assert.equal(report.files[0].complete, false);
    assert.deepEqual(report.files[0].diagnostics.map((d) => [d.code, d.severity, d.agentCode]), [['CannotReadAsThisUser', 'information', undefined]]);
    const text = spawnSync(process.execPath, [SERVER_JS, 'check', '--root', root], { cwd: os.tmpdir(), encoding: 'utf8', uid: NOBODY, gid: NOBODY, env: { ...process.env, LANG: 'C', NO_COLOR: '1' } });
    assert.equal(text.status, 2);
    assert.match(text.stdout, /cannot be read as user nobody/);
    assert.doesNotMatch(text.stdout, /ScriptNotFound|316|305/);
  });

  test('the backup flow: fsFreezeEnabled false, a missing script and continueBackupOnFailure true → a snapshot without freeze, reported file-system consistent', (t) => {
    if (!requireRoot(t)) return;
    const { root } = buildVmRoot({ config: { ...DEFAULT_CONFIG, fsFreezeEnabled: false, continueBackupOnFailure: true }, postMode: 0o700 });
    const { files } = checkJson(['--root', root]);
    assert.deepEqual(files[0].agent, { code: 302, name: 'FailedPrepostPreScriptNotFound', docName: 'Pre-ScriptNotFound', silent: false, snapshot: true, frozen: false, consistency: 'file-system', backupFails: false });
    const text = runCli(['check', '--root', root]);
    assert.match(text.stdout, /snapshot without a freeze, reported file-system consistent/);
  });
});
