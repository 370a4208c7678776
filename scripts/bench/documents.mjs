// The documents every benchmark part runs on, laid out on disk as a workspace copy of a VM
// (`<X>/etc/azure/VMSnapshotScriptPluginConfig.json`), so that our server resolves the scripts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const CONFIG = path.join('etc', 'azure', 'VMSnapshotScriptPluginConfig.json');

const SCRIPT = '#!/bin/sh\n# benchmark fixture\nexec >>/var/log/bench.log 2>&1\necho "$0 $*"\nexit 0\n';

function config(pre, post, extra = '') {
  return `{
  "pluginName": "ScriptRunner",
  "preScriptLocation": "${pre}",
  "postScriptLocation": "${post}",
  "preScriptParams": ["--log", "/var/log/azure-backup-prepost.log"],
  "postScriptParams": ["--log", "/var/log/azure-backup-prepost.log"],
  "timeoutInSeconds": 60,
  "continueBackupOnFailure": true,
  "fsFreezeEnabled": true,
  "ScriptsExecutionPollTimeSeconds": 3${extra}
}
`;
}

function writeVm(root, vmPath, content, mode) {
  const local = path.join(root, vmPath);
  fs.mkdirSync(path.dirname(local), { recursive: true });
  fs.writeFileSync(local, content, { mode });
  fs.chmodSync(local, mode);
  return local;
}

/** A valid config whose pre-script parameters make it `bytes` long: far past any real config. */
export function hugeConfigText(bytes) {
  const head = '{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "postScriptLocation": "/etc/azure/post-script.sh",\n  "timeoutInSeconds": 60,\n  "preScriptParams": [\n';
  const tail = '\n  ]\n}\n';
  const parts = [];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const part = `    "--arg-${i}=${'x'.repeat(40)}"`;
    parts.push(part);
    size += part.length + 2;
  }
  return head + parts.join(',\n') + tail;
}

/**
 * Creates the documents in a temporary folder. Returns `{ documents, cleanup }`; each document
 * has `name`, `path`, `uri`, `text`, `big` (fewer iterations) and `example` (targets apply).
 */
export function createDocuments() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-bench-'));
  const documents = [];
  const add = (name, file, flags = {}) => documents.push({ name, path: file, uri: pathToFileURL(file).toString(), text: fs.readFileSync(file, 'utf8'), ...flags });

  add('example good', path.join(REPO_ROOT, 'examples', 'good', CONFIG), { example: true });
  add('example mistakes', path.join(REPO_ROOT, 'examples', 'mistakes', CONFIG), { example: true });

  const exists = path.join(base, 'exists');
  writeVm(exists, '/opt/backup/pre.sh', SCRIPT, 0o700);
  writeVm(exists, '/opt/backup/post.sh', SCRIPT, 0o700);
  add('scripts exist', writeVm(exists, CONFIG, config('/opt/backup/pre.sh', '/opt/backup/post.sh'), 0o600));

  // The slow path: the scripts sit among 10,000 other entries, which a folder listing
  // (path completion) or a careless scan would pay for on every keystroke.
  const slow = path.join(base, 'slow');
  const crowded = path.join(slow, 'srv', 'many');
  fs.mkdirSync(crowded, { recursive: true });
  for (let i = 0; i < 10_000; i++) fs.writeFileSync(path.join(crowded, `entry-${String(i).padStart(5, '0')}.log`), '');
  writeVm(slow, '/srv/many/pre.sh', SCRIPT, 0o700);
  writeVm(slow, '/srv/many/post.sh', SCRIPT, 0o700);
  add('slow path (10,000 entries)', writeVm(slow, CONFIG, config('/srv/many/pre.sh', '/srv/many/post.sh'), 0o600));

  const huge = path.join(base, 'huge');
  add('pathological 5 MB', writeVm(huge, CONFIG, hugeConfigText(5 * 1024 * 1024), 0o600), { big: true });

  return { base, documents, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}
