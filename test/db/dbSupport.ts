// Starts and stops real MariaDB and PostgreSQL servers from Debian's packages, in temp folders,
// on Unix sockets only (no TCP listener), for the scaffolded scripts to quiesce.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandExists, processAlive, waitFor } from '../unit/scaffoldTestSupport';

export interface ClientResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a client and resolves when it ends (async: a blocked write must not block the test). */
export function runClient(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ClientResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: stdout.trim(), stderr: stderr.trim(), ms: Date.now() - started }));
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Why the MariaDB tests cannot run here, or undefined when they can. */
export function mariaDbMissing(): string | undefined {
  if (!isRoot()) return 'the agent runs scripts as root: run these tests as root';
  for (const command of ['mariadbd', 'mariadb', 'mariadb-install-db']) {
    if (!commandExists(command)) return `${command} is missing: apt-get install mariadb-server`;
  }
  return undefined;
}

export interface MariaDb {
  socket: string;
  dataDir: string;
  /** The server's processes, to stop and continue them as the agent's freeze would hold them. */
  pids(): number[];
  sql(query: string, extra?: string[]): Promise<ClientResult>;
  stop(): Promise<void>;
}

async function stopProcess(pid: number, timeoutMs: number): Promise<void> {
  if (!processAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  if (!(await waitFor(() => !processAlive(pid), timeoutMs))) {
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !processAlive(pid), 5000);
  }
}

/** Starts MariaDB on `dir/data`; a new data folder is created unless `existingData` (a restore). */
export async function startMariaDb(dir: string, existingData = false): Promise<MariaDb> {
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  if (!existingData) {
    const init = spawnSync('mariadb-install-db', [`--datadir=${data}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db'], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
  }
  const log = fs.openSync(path.join(dir, 'mariadbd.log'), 'a');
  const server = spawn('mariadbd', [`--datadir=${data}`, `--socket=${socket}`, '--skip-networking', '--user=root', `--pid-file=${path.join(dir, 'mariadbd.pid')}`, '--innodb-buffer-pool-size=32M'], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const pid = server.pid ?? 0;
  const stop = () => stopProcess(pid, 30_000);
  if (!(await waitFor(() => fs.existsSync(socket) || !processAlive(pid), 30_000)) || !fs.existsSync(socket)) {
    await stop();
    throw new Error(`mariadbd did not start: ${fs.readFileSync(path.join(dir, 'mariadbd.log'), 'utf8')}`);
  }
  return {
    socket,
    dataDir: data,
    pids: () => (processAlive(pid) ? [pid] : []),
    sql: (query, extra = []) => runClient('mariadb', ['-S', socket, '--batch', '--skip-column-names', ...extra, '-e', query]),
    stop,
  };
}

function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((name) => /^[0-9]+$/.test(name) && fs.existsSync(path.join(base, name, 'bin/postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

export function postgresMissing(): string | undefined {
  if (!isRoot()) return 'the agent runs scripts as root: run these tests as root';
  if (!postgresBin()) return 'no PostgreSQL server in /usr/lib/postgresql: apt-get install postgresql';
  if (!commandExists('psql')) return 'psql is missing: apt-get install postgresql-client';
  if (spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0) return 'no postgres user (apt-get install postgresql creates it)';
  return undefined;
}

export interface Postgres {
  /** The folder that holds the socket: the `host` of a connection. */
  socketDir: string;
  dataDir: string;
  /** The postmaster and every process it started. */
  pids(): number[];
  logFile: string;
  version: number;
  sql(query: string): Promise<ClientResult>;
  stop(): Promise<void>;
}

function childrenOf(parent: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) found.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return found;
}

export const asPostgres = (command: string) => spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { encoding: 'utf8' });

export interface PostgresOptions {
  /** `-c name=value` settings, e.g. archive_mode. */
  settings?: Record<string, string>;
  /** Start on the data folder already in `dir/data` (a restore) instead of running initdb. */
  existingData?: boolean;
}

/** initdb must run as the postgres user, so the folder is given to it. */
export async function startPostgres(dir: string, options: PostgresOptions = {}): Promise<Postgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL server');
  fs.chmodSync(dir, 0o755);
  spawnSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (!options.existingData) {
    const init = asPostgres(`${bin}/initdb -D ${data} -A trust --no-sync`);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  }
  const extra = Object.entries(options.settings ?? {}).map(([name, value]) => ` -c ${name}=${value}`).join('');
  const start = asPostgres(`${bin}/pg_ctl -D ${data} -o "-k ${dir} -c listen_addresses='' -c fsync=off${extra}" -l ${logFile} -w -t 60 start`);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr} ${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`);
  const sql = (query: string) => runClient('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-U', 'postgres', '-d', 'postgres', '-c', query]);
  const version = Number((await sql('SHOW server_version_num')).stdout) / 10000;
  const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    socketDir: dir,
    dataDir: data,
    pids: () => [postmaster, ...childrenOf(postmaster)].filter(processAlive),
    logFile,
    version: Math.floor(version),
    sql,
    async stop() {
      asPostgres(`${bin}/pg_ctl -D ${data} -m immediate -w -t 30 stop`);
    },
  };
}

/**
 * Copies `from` to `to` while the server's processes are stopped (SIGSTOP) and continues them
 * after: no file changes during the copy, as on file systems the agent froze. Returns when the
 * processes run again.
 */
export function copyWhileStopped(pids: readonly number[], copies: ReadonlyArray<[string, string]>): void {
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    for (const [from, to] of copies) {
      const copy = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
      if (copy.status !== 0) throw new Error(`cp -a ${from} ${to}: ${copy.stderr}`);
    }
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
}

/**
 * One client session that runs a transfer workload: each transaction inserts row n into
 * t.acked, moves one unit between two of ten accounts and counts itself, then prints `ack n`.
 * A row is acknowledged when its `ack` line arrives. The balances always sum to 1000 and the
 * counter always equals the rows: both hold in any restored copy that is consistent.
 */
export class TransferWriter {
  readonly acked = new Map<number, number>();
  private next = 1;
  private stopped = false;
  private buffer = '';
  private pending?: () => void;
  readonly done: Promise<void>;
  private readonly closed: Promise<unknown>;
  private readonly child;

  constructor(command: string, args: readonly string[], private readonly dialect: 'mysql' | 'postgres') {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        const match = /^ack ([0-9]+)$/.exec(line);
        if (match) {
          this.acked.set(Number(match[1]), Date.now());
          this.pending?.();
        }
      }
    });
    this.child.stderr.on('data', () => undefined);
    this.closed = new Promise((resolve) => this.child.on('close', resolve));
    this.done = this.loop();
  }

  static setupSql(dialect: 'mysql' | 'postgres'): string {
    const schema = dialect === 'mysql' ? 't.' : '';
    const engine = dialect === 'mysql' ? ' ENGINE=InnoDB' : '';
    return [
      dialect === 'mysql' ? 'CREATE DATABASE IF NOT EXISTS t;' : '',
      `CREATE TABLE ${schema}acked (n INT PRIMARY KEY)${engine};`,
      `CREATE TABLE ${schema}account (id INT PRIMARY KEY, balance INT NOT NULL)${engine};`,
      `CREATE TABLE ${schema}counter (id INT PRIMARY KEY, n INT NOT NULL)${engine};`,
      `INSERT INTO ${schema}account VALUES ${Array.from({ length: 10 }, (_, id) => `(${id}, 100)`).join(', ')};`,
      `INSERT INTO ${schema}counter VALUES (1, 0);`,
    ].join(' ');
  }

  /** The query that checks a copy: `sum count rows` (1000 and two equal numbers when consistent). */
  static checkSql(dialect: 'mysql' | 'postgres'): string {
    const schema = dialect === 'mysql' ? 't.' : '';
    return `SELECT (SELECT SUM(balance) FROM ${schema}account), (SELECT n FROM ${schema}counter), (SELECT COUNT(*) FROM ${schema}acked)`;
  }

  private async loop(): Promise<void> {
    const schema = this.dialect === 'mysql' ? 't.' : '';
    const ack = this.dialect === 'mysql' ? (n: number) => `SELECT CONCAT('ack ', ${n});` : (n: number) => `SELECT 'ack ${n}';`;
    while (!this.stopped) {
      const n = this.next++;
      const from = n % 10;
      const to = (n * 7 + 3) % 10;
      const acknowledged = new Promise<void>((resolve) => (this.pending = resolve));
      this.child.stdin.write(
        `BEGIN; INSERT INTO ${schema}acked VALUES (${n}); UPDATE ${schema}account SET balance = balance - 1 WHERE id = ${from}; ` +
          `UPDATE ${schema}account SET balance = balance + 1 WHERE id = ${to}; UPDATE ${schema}counter SET n = n + 1 WHERE id = 1; COMMIT; ${ack(n)}\n`,
      );
      await acknowledged;
    }
  }

  /** Rows acknowledged before `time` (ms since the epoch). */
  ackedBefore(time: number): number[] {
    return [...this.acked].filter(([, at]) => at < time).map(([n]) => n);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending?.();
    this.child.stdin.end();
    await this.closed;
  }
}
