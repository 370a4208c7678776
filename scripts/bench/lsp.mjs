// LSP benchmark: our server and the peer vscode-json-language-server (with our schema), on the
// same documents in the same run, each started over stdio as an editor starts it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from './lspSession.mjs';
import { ms, now, ratio, summarize, table, mib } from './stats.mjs';
import { REPO_ROOT } from './documents.mjs';

const require = createRequire(import.meta.url);
const { parseTree } = require('jsonc-parser');

const SCHEMA_URI = pathToFileURL(path.join(REPO_ROOT, 'schemas', 'vmsnapshot-script-plugin-config.schema.json')).toString();

export const SERVERS = {
  ours: {
    name: 'ours',
    command: [process.execPath, path.join(REPO_ROOT, 'dist', 'server.js'), 'lsp', '--stdio'],
    languageId: 'vmsnapshot-config',
    configurationSection: 'vmsnapshot',
    settings: undefined,
  },
  peer: {
    name: 'peer',
    command: [process.execPath, path.join(REPO_ROOT, 'node_modules', 'vscode-langservers-extracted', 'bin', 'vscode-json-language-server'), '--stdio'],
    languageId: 'json',
    // The peer reads file: schemas itself when told it may; settings arrive as VS Code sends them,
    // with the outline limit of VS Code's json.maxItemsComputed (5000), which ours applies too.
    initializationOptions: { handledSchemaProtocols: ['file'], provideFormatter: true },
    configurationSection: 'json',
    settings: { validate: { enable: true }, resultLimit: 5000, schemas: [{ fileMatch: ['**/VMSnapshotScriptPluginConfig.json'], url: SCHEMA_URI }] },
  },
};

/** What Node itself costs on this machine, to read the start-up and memory figures against. */
function nodeBaseline() {
  const startups = [];
  for (let i = 0; i < 5; i++) {
    const started = now();
    spawnSync(process.execPath, ['-e', '']);
    startups.push(now() - started);
  }
  const rss = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'], { encoding: 'utf8' }).stdout);
  return { startup: summarize(startups).p50, rss };
}

/** The peer delays pushed diagnostics by design (vscode-json-languageservice: 500 ms). */
export const PEER_PUSH_DELAY_MS = 500;

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionAt(starts, offset) {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low] };
}

/**
 * A cursor inside every top-level key and value (and the first few array elements): in the
 * middle of a key, just before the closing quote of a string (where path completion lists
 * the folder typed so far), in the middle of any other value.
 */
export function probePositions(text, maxArrayElements = 10) {
  const root = parseTree(text);
  const starts = lineStarts(text);
  const positions = [];
  const valuePosition = (node) => (node.type === 'string' ? node.offset + node.length - 1 : node.offset + Math.floor(node.length / 2));
  for (const property of root?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key) positions.push({ kind: 'key', position: positionAt(starts, key.offset + Math.floor(key.length / 2)) });
    if (!value) continue;
    if (value.type === 'array') {
      for (const element of (value.children ?? []).slice(0, maxArrayElements)) positions.push({ kind: 'value', position: positionAt(starts, valuePosition(element)) });
    } else {
      positions.push({ kind: 'value', position: positionAt(starts, valuePosition(value)) });
    }
  }
  return positions;
}

/** An edit that changes the version but not the meaning: a space before the last `}`, then gone again. */
function editToggle(text) {
  const starts = lineStarts(text);
  const at = positionAt(starts, text.lastIndexOf('}'));
  let inserted = false;
  return () => {
    inserted = !inserted;
    return inserted
      ? [{ range: { start: at, end: at }, text: ' ' }]
      : [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }];
  };
}

function iterations(document, quick) {
  const scale = quick ? 0.2 : 1;
  const big = document.big;
  return {
    opens: Math.max(2, Math.round((big ? 3 : 10) * scale)),
    // A p99 of 1,000 samples is the tenth slowest: one stray pause cannot decide it.
    pullEdits: Math.max(5, Math.round((big ? 10 : 1000) * scale)),
    // Untimed edits first: a server's first hundreds of keystrokes run while its JIT compiles
    // them (on the same pinned core), which an editing session pays once, not on every keystroke.
    warmUpEdits: big ? 0 : Math.round(200 * scale),
    pushEditsOurs: Math.max(5, Math.round((big ? 10 : 200) * scale)),
    pushEditsPeer: Math.max(2, Math.round((big ? 3 : 6) * scale)),
    rounds: Math.max(2, Math.round((big ? 3 : 20) * scale)),
    // Formatting and outline answer in a fraction of a millisecond on a small config: a median of
    // 100 is not decided by a stray pause. On the 5 MB one the first rounds compile and collect the
    // new 5 MB strings, and a median of three would be decided by them.
    structureRounds: Math.max(2, Math.round((big ? 21 : 100) * scale)),
  };
}

/** Format Document as an editor sends it (2 spaces, as the documents are indented). */
const FORMAT_OPTIONS = { tabSize: 2, insertSpaces: true, insertFinalNewline: true };

function countSymbols(symbols) {
  return (symbols ?? []).reduce((total, symbol) => total + 1 + countSymbols(symbol.children), 0);
}

/**
 * One server's pull session on one document: each method takes one sample and records it in
 * `entry`, so that the two servers' samples can be taken in turn (see `inTurn`).
 */
class DocumentSampler {
  constructor(session, server, document, entry) {
    Object.assign(this, { session, server, document, entry, version: 1, isOpen: false });
    this.toggle = editToggle(document.text);
    this.positions = probePositions(document.text);
    Object.assign(entry, { openPull: [], editPull: [], completion: [], hover: [], formatting: [], symbols: [], probes: this.positions.length });
  }

  /** Open → pulled diagnostics; the document stays open after the last sample. */
  async openPull() {
    const { session, server, document } = this;
    if (this.isOpen) await session.close(document.uri);
    const started = now();
    await session.open(document.uri, server.languageId, document.text);
    const report = await session.pullDiagnostics(document.uri);
    this.entry.openPull.push(now() - started);
    this.isOpen = true;
    this.version = 1;
    document.diagnosticCounts = { ...(document.diagnosticCounts ?? {}), [server.name]: report.items?.length ?? 0 };
  }

  /** Edit, then ask for the new version's diagnostics at once: what an editor with pull diagnostics does. */
  async editAndPull() {
    await this.session.change(this.document.uri, ++this.version, this.toggle());
    await this.session.pullDiagnostics(this.document.uri);
  }

  /** `editAndPull`, timed. */
  async editPull() {
    const started = now();
    await this.editAndPull();
    this.entry.editPull.push(now() - started);
  }

  /** One edit (so the first request pays for the new version), then completion and hover at every probe. */
  async requestRound() {
    const { session, document, entry } = this;
    await session.change(document.uri, ++this.version, this.toggle());
    const firstRound = entry.completionItems === undefined;
    let completionItems = 0;
    let hovers = 0;
    for (const { position } of this.positions) {
      let started = now();
      const items = await session.completion(document.uri, position);
      entry.completion.push(now() - started);
      started = now();
      const answer = await session.hover(document.uri, position);
      entry.hover.push(now() - started);
      completionItems += (Array.isArray(items) ? items : items?.items ?? []).length;
      if (answer) hovers++;
    }
    if (firstRound) Object.assign(entry, { completionItems, hovers });
  }

  /**
   * One edit and its diagnostics (untimed: an editor pulls them at once on every change, and
   * both servers keep what they parsed for them), then Format Document and the outline of the
   * new version once the server has settled: VS Code asks for the outline at least 350 ms after
   * the last change (its OutlineModelService's debounce) and formats on save, so what the edit
   * started in idle time is done by then. Waiting the 350 ms here would time the machine waking
   * from idle instead of the servers.
   */
  async structureRound() {
    const { session, document, entry } = this;
    await this.editAndPull();
    await session.settle();
    let started = now();
    const answer = await session.formatting(document.uri, FORMAT_OPTIONS);
    entry.formatting.push(now() - started);
    started = now();
    const outline = await session.documentSymbols(document.uri);
    entry.symbols.push(now() - started);
    if (entry.formatEdits === undefined) Object.assign(entry, { formatEdits: answer?.length ?? 0, symbolCount: countSymbols(outline) });
  }
}

/**
 * Takes `count` samples from each of `samplers` in turn, swapping who goes first every time:
 * whatever the machine does meanwhile (another process, the benchmark's own garbage collector)
 * falls on both servers alike instead of on whichever ran during it.
 */
async function inTurn(samplers, count, takeSample) {
  for (let i = 0; i < count; i++) {
    for (const sampler of i % 2 === 0 ? samplers : [...samplers].reverse()) await takeSample(sampler);
  }
}

/** Edit, then wait for the diagnostics the server pushes for it. */
async function measureEditPush(session, document, count) {
  const toggle = editToggle(document.text);
  const times = [];
  let version = 1;
  for (let i = 0; i < count; i++) {
    const mark = session.published.length;
    const started = now();
    await session.change(document.uri, ++version, toggle());
    const entry = await session.nextPublished(document.uri, mark);
    times.push(entry.at - started);
  }
  return times;
}

async function measureOpenPush(session, server, document, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const mark = session.published.length;
    const started = now();
    await session.open(document.uri, server.languageId, document.text);
    const entry = await session.nextPublished(document.uri, mark);
    times.push(entry.at - started);
    if (i < count - 1) {
      const closeMark = session.published.length;
      await session.close(document.uri);
      await session.nextPublished(document.uri, closeMark); // the clearing push
    }
  }
  return times;
}

/** Push sessions, one server after the other: the peer's 500 ms debounce makes turns pointless. */
async function benchPush(server, documents, quick, log, result) {
  const push = await LspSession.start({ ...server, pull: false, cwd: REPO_ROOT });
  result.startup.push(push.startupMs);
  for (const document of documents) {
    log(`  ${server.name}, push: ${document.name}`);
    const count = iterations(document, quick);
    const entry = result.documents[document.name];
    entry.openPush = await measureOpenPush(push, server, document, count.opens);
    entry.editPush = await measureEditPush(push, document, server.name === 'peer' ? count.pushEditsPeer : count.pushEditsOurs);
    await push.close(document.uri);
  }
  await push.shutdown();
}

export async function runLspBenchmark(documents, { quick = false, log = () => undefined } = {}) {
  const servers = Object.values(SERVERS);
  const results = Object.fromEntries(servers.map((server) => [server.name, { startup: [], documents: {} }]));

  const startups = servers.map((server) => ({ server }));
  await inTurn(startups, quick ? 3 : 10, async ({ server }) => {
    const session = await LspSession.start({ ...server, pull: true, cwd: REPO_ROOT });
    results[server.name].startup.push(session.startupMs);
    await session.shutdown();
  });

  // Pull sessions of both servers side by side, sampled in turn; memory at the end with every document open.
  const sessions = {};
  for (const server of servers) {
    sessions[server.name] = await LspSession.start({ ...server, pull: true, cwd: REPO_ROOT });
    results[server.name].startup.push(sessions[server.name].startupMs);
    results[server.name].memoryIdle = sessions[server.name].memory();
  }
  for (const document of documents) {
    if (document.big) for (const server of servers) results[server.name].memoryBeforeBig = sessions[server.name].memory();
    log(`  pull, both servers in turn: ${document.name}`);
    const count = iterations(document, quick);
    const samplers = servers.map((server) => new DocumentSampler(sessions[server.name], server, document, (results[server.name].documents[document.name] = {})));
    await inTurn(samplers, count.opens, (sampler) => sampler.openPull());
    await inTurn(samplers, count.warmUpEdits, (sampler) => sampler.editAndPull());
    await inTurn(samplers, count.pullEdits, (sampler) => sampler.editPull());
    await inTurn(samplers, count.rounds, (sampler) => sampler.requestRound());
    await inTurn(samplers, count.structureRounds, (sampler) => sampler.structureRound());
  }
  for (const server of servers) {
    results[server.name].memory = sessions[server.name].memory();
    await sessions[server.name].shutdown();
  }

  for (const server of servers) await benchPush(server, documents, quick, log, results[server.name]);
  return results;
}

const METRICS = [
  ['open → diagnostics (pull)', 'openPull'],
  ['open → diagnostics (push)', 'openPush'],
  ['edit → diagnostics (pull)', 'editPull'],
  ['edit → diagnostics (push)', 'editPush'],
  ['completion', 'completion'],
  ['hover', 'hover'],
  ['formatting (Format Document)', 'formatting'],
  ['document symbols (outline)', 'symbols'],
];

/** Prints the tables; returns the figures the targets are judged on. */
export function reportLsp(results, documents, print) {
  const ours = results.ours;
  const peer = results.peer;
  const startOurs = summarize(ours.startup);
  const startPeer = summarize(peer.startup);
  print('Start-up to the initialize result');
  print(table(['server', 'n', 'p50', 'p95', 'max'], [
    ['ours', startOurs.n, ms(startOurs.p50), ms(startOurs.p95), ms(startOurs.max)],
    ['peer', startPeer.n, ms(startPeer.p50), ms(startPeer.p95), ms(startPeer.max)],
    ['ours/peer', '', ratio(startOurs.p50, startPeer.p50), ratio(startOurs.p95, startPeer.p95), ratio(startOurs.max, startPeer.max)],
  ]));
  print('');
  const baseline = nodeBaseline();
  print(`Baseline: a bare \`node -e ''\` runs in ${ms(baseline.startup)} (median of 5) and holds ${mib(baseline.rss)} RSS — the floor for any Node server here.`);
  print('');
  print(table(['server memory (RSS)', 'ours', 'peer', 'ours/peer'], [
    ['idle, right after initialize', mib(ours.memoryIdle?.rss), mib(peer.memoryIdle?.rss), ratio(ours.memoryIdle?.rss, peer.memoryIdle?.rss)],
    ['before the 5 MB document (4 configs open)', mib(ours.memoryBeforeBig?.rss), mib(peer.memoryBeforeBig?.rss), ratio(ours.memoryBeforeBig?.rss, peer.memoryBeforeBig?.rss)],
    ['at the end (5 MB document open too)', mib(ours.memory.rss), mib(peer.memory.rss), ratio(ours.memory.rss, peer.memory.rss)],
    ['peak during the run', mib(ours.memory.peak), mib(peer.memory.peak), ratio(ours.memory.peak, peer.memory.peak)],
  ]));
  for (const document of documents) {
    const a = ours.documents[document.name];
    const b = peer.documents[document.name];
    print('');
    print(`Document: ${document.name} (${document.text.length.toLocaleString('en')} chars, ${a.probes} probe positions; diagnostics on open: ours ${document.diagnosticCounts?.ours ?? '-'}, peer ${document.diagnosticCounts?.peer ?? '-'}; probes answered in round 1: completion items ours ${a.completionItems} / peer ${b.completionItems}, hovers ours ${a.hovers} / peer ${b.hovers}; formatting edits ours ${a.formatEdits} / peer ${b.formatEdits}; symbols ours ${a.symbolCount} / peer ${b.symbolCount})`);
    const rows = [];
    for (const [label, key] of METRICS) {
      const x = summarize(a[key]);
      const y = summarize(b[key]);
      const note = key === 'editPush' || key === 'openPush' ? ' *' : '';
      rows.push([`${label}${note}`, `${x.n}/${y.n}`, ms(x.p50), ms(y.p50), ratio(x.p50, y.p50), ms(x.p95), ms(y.p95), ms(x.p99), ms(y.p99), ratio(x.p99, y.p99), ms(x.max), ms(y.max)]);
    }
    print(table(['metric', 'n ours/peer', 'p50 ours', 'p50 peer', 'p50 ratio', 'p95 ours', 'p95 peer', 'p99 ours', 'p99 peer', 'p99 ratio', 'max ours', 'max peer'], rows));
  }
  print('');
  print('Samples are taken from both servers in turn; each small document first gets 200 untimed edits (40 with --quick) on both, their JIT warming up.');
  print('Formatting and outline are asked once the server has settled after the edit (VS Code waits at least 350 ms for the outline).');
  print(`* The peer waits ${PEER_PUSH_DELAY_MS} ms after each change before it validates (its debounce); ours pushes on the next turn of the event loop. Pull times compare the work itself.`);

  const examples = documents.filter((document) => document.example);
  const worst = (key, p) => Math.max(...examples.map((document) => summarize(ours.documents[document.name][key])[p]));
  const slower = (key, p = 'p50') =>
    documents
      .filter((document) => summarize(ours.documents[document.name][key])[p] > summarize(peer.documents[document.name][key])[p])
      .map((document) => `${document.name} (${ms(summarize(ours.documents[document.name][key])[p])} vs ${ms(summarize(peer.documents[document.name][key])[p])})`);
  return {
    startupP50: startOurs.p50,
    nodeStartup: baseline.startup,
    nodeRss: baseline.rss,
    rss: ours.memory.rss,
    rssBeforeBig: ours.memoryBeforeBig?.rss ?? NaN,
    rssIdle: ours.memoryIdle?.rss ?? NaN,
    editPullP99Examples: worst('editPull', 'p99'),
    editPushP99Examples: worst('editPush', 'p99'),
    editPullP99Slower: slower('editPull', 'p99'),
    completionSlower: slower('completion'),
    hoverSlower: slower('hover'),
    formattingSlower: slower('formatting'),
    symbolsSlower: slower('symbols'),
  };
}
