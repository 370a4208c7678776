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

export async function startMariaDb(dir: string): Promise<MariaDb> {
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const init = spawnSync('mariadb-install-db', [`--datadir=${data}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
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
  logFile: string;
  version: number;
  sql(query: string): Promise<ClientResult>;
  stop(): Promise<void>;
}

/** initdb must run as the postgres user, so the folder is given to it. */
export async function startPostgres(dir: string): Promise<Postgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL server');
  fs.chmodSync(dir, 0o755);
  spawnSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const asPostgres = (command: string) => spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { encoding: 'utf8' });
  const init = asPostgres(`${bin}/initdb -D ${data} -A trust --no-sync`);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const start = asPostgres(`${bin}/pg_ctl -D ${data} -o "-k ${dir} -c listen_addresses='' -c fsync=off" -l ${logFile} -w -t 60 start`);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr} ${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`);
  const sql = (query: string) => runClient('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-U', 'postgres', '-d', 'postgres', '-c', query]);
  const version = Number((await sql('SHOW server_version_num')).stdout) / 10000;
  return {
    socketDir: dir,
    logFile,
    version: Math.floor(version),
    sql,
    async stop() {
      asPostgres(`${bin}/pg_ctl -D ${data} -m immediate -w -t 30 stop`);
    },
  };
}
