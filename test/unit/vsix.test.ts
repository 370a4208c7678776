import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';

/**
 * The .vsix holds only what runs: it is packaged here, offline, the way `npm run package` does,
 * then unpacked and checked against the manifest and against what the e2e host (and so users)
 * can load.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The entries of a zip file, read from its central directory (a .vsix is a plain zip). */
function readZip(file: string): Map<string, Buffer> {
  const zip = fs.readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'a zip end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory header');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** `1.100.0` from `^1.100.0` or `>=1.100.0`. */
function minimumVersion(range: string): number[] {
  const match = /^(?:\^|>=|~)?(\d+)\.(\d+)\.(\d+)$/.exec(range);
  assert.ok(match, `engines.vscode ${range} is a plain minimum`);
  return match.slice(1).map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

interface Manifest {
  main: string;
  icon: string;
  l10n: string;
  engines: { vscode: string };
  extensionKind: string[];
  activationEvents: string[];
  capabilities: {
    virtualWorkspaces: boolean | { supported: boolean | 'limited'; description?: string };
    untrustedWorkspaces: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
  };
  contributes: {
    languages?: Array<{ id: string; configuration?: string }>;
    grammars?: Array<{ path: string }>;
    snippets?: Array<{ path: string }>;
    jsonValidation?: Array<{ url: string }>;
    configuration?: { properties: Record<string, { scope?: string }> };
    walkthroughs?: Array<{ steps: Array<{ media: { markdown?: string } }> }>;
  };
}

describe('the packaged .vsix', () => {
  let workDir: string;
  let files: Map<string, Buffer>;
  let manifest: Manifest;
  /** Paths inside the extension folder, as the manifest names them. */
  const shipped = (relative: string) => files.has(`extension/${path.posix.normalize(relative)}`);

  before(() => {
    for (const built of ['dist/client.js', 'dist/server.js']) {
      assert.ok(fs.existsSync(path.join(ROOT, built)), `${built} exists: run npm run build first`);
    }
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-test-'));
    // Packaged from a copy of the working tree: vsce would otherwise run `vscode:prepublish`,
    // rebuilding dist/ under the feet of the tests that run the built server. The copy leaves out
    // only what vsce never reads with --no-dependencies, so stray files still show up.
    const tree = path.join(workDir, 'tree');
    const skipped = new Set(['node_modules', '.git', '.e2e']);
    fs.cpSync(ROOT, tree, { recursive: true, filter: (source) => !skipped.has(path.basename(source)) });
    const manifestFile = path.join(tree, 'package.json');
    const copied = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { scripts?: Record<string, string> };
    delete copied.scripts?.['vscode:prepublish'];
    fs.writeFileSync(manifestFile, JSON.stringify(copied, null, 2));
    const vsix = path.join(workDir, 'test.vsix');
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    // The same command as `npm run package`; vsce needs no network for it.
    const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], { cwd: tree, encoding: 'utf8' });
    assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);
    files = readZip(vsix);
    manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8')) as Manifest;
  });

  after(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('holds only what runs: the bundles, manifest strings, schema, grammar, snippets, l10n and docs', () => {
    const allowed = [
      /^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/,
      /^extension\/package\.json$/, /^extension\/package\.nls(\.[\w-]+)?\.json$/,
      /^extension\/dist\/(client|server)\.js$/,
      /^extension\/schemas\/[\w.-]+\.schema\.json$/, /^extension\/syntaxes\/[\w.-]+\.tmLanguage\.json$/,
      /^extension\/snippets\/[\w.-]+\.json$/, /^extension\/language-configuration\.json$/,
      /^extension\/l10n\/bundle\.l10n(\.[\w-]+)?\.json$/, /^extension\/images\/icon\.png$/,
      /^extension\/media\/walkthrough\/[\w-]+\/[\w-]+\.md$/,
      // vsce renames the docs: README.md to readme.md, LICENSE to LICENSE.txt.
      /^extension\/(readme|changelog)\.md$/, /^extension\/LICENSE\.txt$/,
    ];
    const unexpected = [...files.keys()].filter((name) => !allowed.some((pattern) => pattern.test(name)));
    assert.deepEqual(unexpected, [], 'no sources, tests, source maps, node_modules or scratch files');
  });

  it('ships every file the manifest points at', () => {
    const contributes = manifest.contributes;
    const referenced = [
      manifest.main, manifest.icon,
      ...(contributes.languages ?? []).flatMap((language) => (language.configuration ? [language.configuration] : [])),
      ...(contributes.grammars ?? []).map((grammar) => grammar.path),
      ...(contributes.snippets ?? []).map((snippet) => snippet.path),
      ...(contributes.jsonValidation ?? []).map((validation) => validation.url).filter((url) => !/^https?:/.test(url)),
      // The client starts the server from the same folder.
      'dist/server.js',
      `${manifest.l10n}/bundle.l10n.pt-br.json`,
      'package.nls.json', 'package.nls.pt-br.json',
      // Walkthrough media are localized through the manifest strings: every language's file ships.
      ...['package.nls.json', 'package.nls.pt-br.json'].flatMap((nlsFile) => {
        const nls = JSON.parse(files.get(`extension/${nlsFile}`)!.toString('utf8')) as Record<string, string>;
        return (contributes.walkthroughs ?? []).flatMap((walkthrough) => walkthrough.steps.map((step) => (step.media.markdown ?? '').replace(/^%(.+)%$/, (_, key: string) => nls[key])));
      }),
    ];
    const missing = referenced.filter((relative) => !shipped(relative));
    assert.deepEqual(missing, []);
    for (const doc of ['extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt']) assert.ok(files.has(doc), doc);
  });

  it('is small: bundles without node_modules bloat', () => {
    const total = [...files.values()].reduce((sum, data) => sum + data.length, 0);
    assert.ok(total < 4 * 1024 * 1024, `unpacked size ${(total / 1024 / 1024).toFixed(1)} MB`);
    // The bundles inline their dependencies: nothing may be loaded from a node_modules folder at run time.
    for (const bundle of ['extension/dist/client.js', 'extension/dist/server.js']) {
      const text = files.get(bundle)!.toString('utf8');
      assert.doesNotMatch(text, /require\(["'](vscode-languageclient|vscode-languageserver|jsonc-parser|@vscode\/l10n)["']\)/, bundle);
    }
  });

  it('runs where the files are: a workspace extension, in trusted and restricted mode, not on virtual file systems', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    const virtual = manifest.capabilities.virtualWorkspaces;
    assert.equal(typeof virtual === 'object' ? virtual.supported : virtual, false);
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.ok(untrusted.description, 'says what is limited');
    // The restricted settings exist; an executable is never taken from a workspace's settings.
    const properties = manifest.contributes.configuration?.properties ?? {};
    const restricted = untrusted.restrictedConfigurations ?? [];
    for (const setting of restricted) assert.ok(properties[setting], `${setting} is a declared setting`);
    for (const setting of Object.keys(properties).filter((name) => /executable/i.test(name))) {
      assert.ok(restricted.includes(setting), `${setting} waits for workspace trust`);
      assert.match(properties[setting].scope ?? '', /^machine/, `${setting} is machine-scoped`);
    }
  });

  it('activates on the config, its scripts and workspaces that contain one', () => {
    assert.ok(manifest.activationEvents.includes('onLanguage:vmsnapshot-config'));
    assert.ok(manifest.activationEvents.some((event) => event.startsWith('workspaceContains:') && event.includes('VMSnapshotScriptPluginConfig.json')));
  });

  it('asks for a VS Code no newer than the e2e host', () => {
    const host = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'e2e', 'host', 'package.json'), 'utf8')) as { config: { vscodeVersion: string } };
    const hostVersion = host.config.vscodeVersion.split('.').map(Number);
    const minimum = minimumVersion(manifest.engines.vscode);
    assert.ok(compareVersions(minimum, hostVersion) <= 0, `engines.vscode ${manifest.engines.vscode} <= ${host.config.vscodeVersion}`);
    // @types/vscode newer than engines.vscode would let the code call APIs the minimum VS Code lacks.
    const types = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')) as { version: string };
    const [major, minor] = types.version.split('.').map(Number);
    assert.ok(major < minimum[0] || (major === minimum[0] && minor <= minimum[1]), `@types/vscode ${types.version} <= engines.vscode ${manifest.engines.vscode}`);
  });
});
