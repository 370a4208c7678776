/**
 * What users plug into CI without reading our code, run as their tools run it: the `$vmsnapshot`
 * problem matcher on the CLI's real text output, the pre-commit hook's entry with the changed
 * files as arguments (from the repository root, `vmsnapshot` being the package's bin), and the
 * GitHub Action's steps' commands with their env, GITHUB_ACTION_PATH and GITHUB_OUTPUT.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  contributes: { problemMatchers: Array<{ name: string; owner: string; fileLocation: string[]; pattern: Record<string, string | number> }> };
};
/** What `npm install -g` puts on PATH for the package's bin. */
const BIN = path.join(REPO_ROOT, manifest.bin.vmsnapshot);
const hasShellCheck = spawnSync('shellcheck', ['--version']).status === 0;

/** The same environment for every run: English, no colours. */
const ENV = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1' };

let repo: string;
let deployed: VmRoot;

/**
 * A repository as users keep one: a workspace copy of the VM under deploy/, whose pre-script
 * uses bash syntax that dash does not know, an unrelated build script and a README.
 */
before(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-ci-'));
  deployed = new VmRoot({ at: path.join(repo, 'deploy') });
  deployed.writeAll({
    [CONFIG_PATH]: { content: '{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "/etc/azure/pre.sh",\n  "postScriptLocation": "/etc/azure/post.sh",\n  "timeoutInSeconds": 60\n}\n', mode: 0o644 },
    '/etc/azure/pre.sh': { content: '#!/bin/sh\nexec >>/var/log/pre.log 2>&1\nif [[ -f /tmp/x ]]; then echo x; fi\nexit 0\n', mode: 0o700 },
    '/etc/azure/post.sh': { content: '#!/bin/sh\nexec >>/var/log/post.log 2>&1\nexit 0\n', mode: 0o700 },
  });
  fs.mkdirSync(path.join(repo, 'tools'));
  fs.writeFileSync(path.join(repo, 'tools', 'build.sh'), '#!/bin/bash\nif [[ -n "$1" ]]; then echo "$1"; fi\n', { mode: 0o755 });
  fs.writeFileSync(path.join(repo, 'README.md'), '# ops\n');
});

after(() => fs.rmSync(repo, { recursive: true, force: true }));

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? ENV, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.error, undefined, `could not run ${command}: ${String(result.error)}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file of the repository, relative and with `/`, as `git ls-files` lists them. */
function repositoryFiles(folder: string, prefix = ''): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}${entry.name}`;
    return entry.isDirectory() ? repositoryFiles(path.join(folder, entry.name), `${relative}/`) : [relative];
  });
}

// --- the problem matcher ---------------------------------------------------------------------

describe('$vmsnapshot problem matcher', () => {
  const matcher = manifest.contributes.problemMatchers.find((candidate) => candidate.name === 'vmsnapshot')!;
  const pattern = new RegExp(matcher.pattern.regexp as string);
  const field = (match: RegExpExecArray, name: string): string => match[matcher.pattern[name] as number];
  /** The word VS Code reads: it knows `info`, not `information` (and reads `hint` as info). */
  const severityWord = (severity: string): string => (severity === 'information' ? 'info' : severity);

  it('reads every finding of the text output, and nothing else, as the JSON output states it', () => {
    const targets = [path.join('examples', 'mistakes'), path.join('examples', 'good'), path.join(repo, 'deploy')];
    const text = run(process.execPath, [BIN, 'check', '--no-shellcheck', ...targets], { cwd: REPO_ROOT });
    const json = run(process.execPath, [BIN, 'check', '--no-shellcheck', '--format', 'json', ...targets], { cwd: REPO_ROOT });
    assert.equal(text.status, 1, text.stderr);
    const expected = (JSON.parse(json.stdout) as { files: Array<{ diagnostics: Array<{ file: string; severity: string; code: string; message: string; range: { start: { line: number; character: number } } }> }> }).files.flatMap((file) => file.diagnostics);
    assert.ok(expected.some((diagnostic) => diagnostic.file.endsWith('pre.sh')), 'findings in a script too');
    const matched = text.stdout.split('\n').map((line) => pattern.exec(line)).filter((match): match is RegExpExecArray => match !== null);
    assert.deepEqual(
      matched.map((match) => [field(match, 'file'), Number(field(match, 'line')), Number(field(match, 'column')), field(match, 'severity'), field(match, 'code'), field(match, 'message')]),
      expected.map((diagnostic) => [diagnostic.file, diagnostic.range.start.line + 1, diagnostic.range.start.character + 1, severityWord(diagnostic.severity), diagnostic.code, diagnostic.message]),
    );
  });

  it('does not share its owner with the language server\'s diagnostics, which a task would otherwise wipe', () => {
    assert.notEqual(matcher.owner, 'vmsnapshot');
    assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}'], 'relative paths from the workspace, absolute ones as they are');
  });
});

// --- pre-commit ------------------------------------------------------------------------------

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}

describe('pre-commit hook', () => {
  const hooks = load(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((candidate) => candidate.id === 'vmsnapshot-check')!;

  /** pre-commit: the files that match `files` (Python's re.search), appended to the entry, run from the repository root. */
  function runHook(changed: string[]) {
    const files = changed.filter((file) => new RegExp(hook.files).test(file));
    const [command, ...entryArgs] = hook.entry.split(' ');
    assert.equal(command, 'vmsnapshot', 'the entry runs the package bin');
    return { files, ...run(process.execPath, [BIN, ...entryArgs, ...(hook.pass_filenames === false ? [] : files)], { cwd: repo }) };
  }

  it('is a node hook that runs once for all the files (a script is checked through configs several scripts share)', () => {
    assert.equal(hook.language, 'node');
    assert.equal(hook.require_serial, true);
    assert.deepEqual(
      repositoryFiles(repo).filter((file) => new RegExp(hook.files).test(file)).sort(),
      ['deploy/etc/azure/VMSnapshotScriptPluginConfig.json', 'deploy/etc/azure/post.sh', 'deploy/etc/azure/pre.sh', 'tools/build.sh'],
    );
  });

  it('a changed pre-script is checked through the config that names it, and fails the commit', () => {
    const result = runHook(['deploy/etc/azure/pre.sh', 'README.md']);
    assert.deepEqual(result.files, ['deploy/etc/azure/pre.sh']);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^deploy\/etc\/azure\/pre\.sh:3:\d+: error ScriptNotPosix: /m);
    assert.match(result.stdout, /^deploy\/etc\/azure\/VMSnapshotScriptPluginConfig\.json: agent result: /m);
  });

  it('a changed config is checked with its scripts; all files at once report each config once', () => {
    const result = runHook(repositoryFiles(repo));
    assert.equal(result.status, 1);
    assert.equal(result.stdout.match(/agent result:/g)?.length, 1, result.stdout);
  });

  it('a shell script that no config names is not an agent script: the commit goes through', () => {
    const result = runHook(['tools/build.sh']);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /error|warning/);
  });

  it('a fixed pre-script lets the commit through', () => {
    const pre = deployed.local('/etc/azure/pre.sh');
    const broken = fs.readFileSync(pre, 'utf8');
    try {
      fs.writeFileSync(pre, broken.replace('[[ -f /tmp/x ]]', '[ -f /tmp/x ]'));
      const result = runHook(['deploy/etc/azure/pre.sh']);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /agent result: 0 Success/);
    } finally {
      fs.writeFileSync(pre, broken);
    }
  });
});

// --- the GitHub Action -----------------------------------------------------------------------

interface ActionStep {
  id?: string;
  name: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

describe('GitHub Action', () => {
  const action = load(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
  const step = (name: string): ActionStep => action.runs.steps.find((candidate) => candidate.name === name)!;

  /** Runs one `run` step as the runner does: bash, its env with `${{ inputs.* }}` filled in, GITHUB_ACTION_PATH and GITHUB_OUTPUT. */
  function runStep(actionStep: ActionStep, inputs: Record<string, string>, cwd: string) {
    const values = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, inputs[name] ?? input.default ?? '']));
    const env = Object.fromEntries(Object.entries(actionStep.env ?? {}).map(([name, value]) => [name, value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, input: string) => values[input])]));
    const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-gh-')), 'output');
    fs.writeFileSync(outputFile, '');
    const result = run('bash', ['-e', '-c', actionStep.run!], { cwd, env: { ...ENV, ...env, GITHUB_ACTION_PATH: REPO_ROOT, GITHUB_OUTPUT: outputFile } });
    const outputs = Object.fromEntries(fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)));
    fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
    return { ...result, outputs };
  }

  it('is a composite action whose scripts take the inputs from env, never pasted into the script', () => {
    assert.equal(action.runs.using, 'composite');
    for (const actionStep of action.runs.steps.filter((candidate) => candidate.run)) assert.doesNotMatch(actionStep.run!, /\$\{\{/, actionStep.name);
    const upload = step('Upload to code scanning');
    assert.match(upload.uses ?? '', /^github\/codeql-action\/upload-sarif@/);
    assert.match(upload.if ?? '', /always\(\)/, 'the report is uploaded even when the check found errors');
  });

  it('its scripts pass ShellCheck', { skip: hasShellCheck ? false : 'shellcheck is not installed' }, () => {
    for (const actionStep of action.runs.steps.filter((candidate) => candidate.run)) {
      const result = spawnSync('shellcheck', ['--shell=bash', '-'], { input: actionStep.run, encoding: 'utf8' });
      assert.equal(result.status, 0, `${actionStep.name}:\n${result.stdout}`);
    }
  });

  it('writes SARIF for the repository with paths code scanning resolves, and says there are errors', () => {
    const result = runStep(step('Check'), {}, repo);
    assert.equal(result.status, 0, `the step itself succeeds so that the report is uploaded:\n${result.stdout}${result.stderr}`);
    assert.equal(result.outputs.errors, 'true');
    assert.equal(result.outputs['sarif-file'], 'vmsnapshot.sarif');
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'vmsnapshot.sarif'), 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    assert.equal(sarif.version, '2.1.0');
    const notPosix = sarif.runs[0].results.find((entry) => entry.ruleId === 'ScriptNotPosix');
    assert.ok(notPosix, JSON.stringify(sarif.runs[0].results.map((entry) => entry.ruleId)));
    assert.equal(notPosix.level, 'error');
    assert.deepEqual([notPosix.locations[0].physicalLocation.artifactLocation.uri, notPosix.locations[0].physicalLocation.region.startLine], ['deploy/etc/azure/pre.sh', 3]);
    fs.rmSync(path.join(repo, 'vmsnapshot.sarif'));

    const failed = runStep(step('Fail on errors'), {}, repo);
    assert.equal(failed.status, 1);
    assert.match(failed.stdout, /^::error::vmsnapshot check found errors/m);
  });

  it('a clean repository: errors=false; a path that does not exist stops with a clear error', () => {
    const result = runStep(step('Check'), { path: 'examples/good', 'sarif-file': path.join(repo, 'good.sarif') }, REPO_ROOT);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal(result.outputs.errors, 'false');
    assert.deepEqual((JSON.parse(fs.readFileSync(path.join(repo, 'good.sarif'), 'utf8')) as { runs: Array<{ results: unknown[] }> }).runs[0].results, []);
    fs.rmSync(path.join(repo, 'good.sarif'));

    const missing = runStep(step('Check'), { path: 'no/such/folder' }, repo);
    assert.equal(missing.status, 2);
    assert.match(missing.stdout, /^::error::vmsnapshot check could not run/m);
    assert.match(missing.stderr, /no\/such\/folder: no such file or folder/);
  });

  it('the README\'s example workflow uses this action with the permission code scanning needs', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const workflow = /```yaml\n(name: [\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(workflow, 'the README has an example workflow');
    const parsed = load(workflow) as { permissions?: Record<string, string>; jobs: Record<string, { steps: Array<{ uses?: string }> }> };
    assert.equal(parsed.permissions?.['security-events'], 'write');
    const uses = Object.values(parsed.jobs).flatMap((job) => job.steps.map((jobStep) => jobStep.uses ?? ''));
    assert.ok(uses.some((used) => /^actions\/checkout@/.test(used)));
    assert.ok(uses.some((used) => /vmsnapshot/.test(used)), `the workflow uses the action: ${uses.join(', ')}`);
  });
});
