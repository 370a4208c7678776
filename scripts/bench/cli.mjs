// CLI throughput: `vmsnapshot check` over generated configs, as one process (the way CI or a
// fleet audit runs it), measured from spawn to exit.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './documents.mjs';
import { ms, summarize, table } from './stats.mjs';

const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

/** `count` VM copies, `<dir>/vm-N/etc/azure/…`, a mix of good and broken configs with real scripts. */
function generateConfigs(base, count) {
  const variants = [
    (i) => ({ pre: `/opt/app${i}/pre.sh`, post: `/opt/app${i}/post.sh`, timeout: 30 + (i % 300) }),
    (i) => ({ pre: `/opt/app${i}/pre.sh`, post: `/opt/app${i}/missing.sh`, timeout: 3600 }),
    (i) => ({ pre: `relative${i}.sh`, post: `/opt/app${i}/post.sh`, timeout: '"60"' }),
    (i) => ({ pre: `/opt/app${i}/pre.sh`, post: `/opt/app${i}/post.sh`, timeout: 45, extra: ',\n  "preScriptParams": "--flush",\n  "postScriptLocaton": "/x"' }),
  ];
  for (let i = 0; i < count; i++) {
    const root = path.join(base, `vm-${String(i).padStart(4, '0')}`);
    const v = variants[i % variants.length](i);
    fs.mkdirSync(path.join(root, 'etc', 'azure'), { recursive: true });
    fs.mkdirSync(path.join(root, 'opt', `app${i}`), { recursive: true });
    for (const name of ['pre.sh', 'post.sh']) fs.writeFileSync(path.join(root, 'opt', `app${i}`, name), '#!/bin/sh\nexit 0\n', { mode: 0o700 });
    const text = `{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "${v.pre}",\n  "postScriptLocation": "${v.post}",\n  "timeoutInSeconds": ${v.timeout},\n  "continueBackupOnFailure": true${v.extra ?? ''}\n}\n`;
    fs.writeFileSync(path.join(root, 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json'), text, { mode: 0o600 });
  }
}

function timeRun(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [SERVER_JS, 'check', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const elapsed = performance.now() - started;
  if (result.status !== 0 && result.status !== 1) throw new Error(`vmsnapshot check ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { elapsed };
}

export function runCliBenchmark({ count = 1000, repeats = 3 } = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-cli-bench-'));
  try {
    generateConfigs(base, count);
    const single = path.join(base, 'vm-0000', 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json');
    const rows = {};
    rows.one = [];
    for (let i = 0; i < repeats * 3; i++) rows.one.push(timeRun([single]).elapsed);
    for (const format of ['text', 'json', 'sarif']) {
      rows[format] = [];
      for (let i = 0; i < repeats; i++) rows[format].push(timeRun(['--format', format, base]).elapsed);
    }
    return { count, rows };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

export function reportCli(result, print) {
  const one = summarize(result.rows.one).p50;
  const lines = [['1 config (process start-up included)', ms(one), '']];
  for (const format of ['text', 'json', 'sarif']) {
    const wall = summarize(result.rows[format]).p50;
    lines.push([`${result.count} configs, --format ${format}`, ms(wall), `${((wall - one) / result.count).toFixed(3)} ms/file`]);
  }
  print(`CLI throughput (median of ${result.rows.text.length} runs; per-file cost excludes the 1-config run's start-up)`);
  print(table(['run', 'wall', 'per file'], lines));
  return { wallText: summarize(result.rows.text).p50, wallWorst: Math.max(...['text', 'json', 'sarif'].map((format) => summarize(result.rows[format]).p50)) };
}
