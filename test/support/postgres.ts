import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Install command shown when a test needs PostgreSQL and it is missing. */
export const POSTGRES_INSTALL = 'apt-get install -y postgresql';

export interface ThrowawayPostgres {
  url: string;
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath && existsSync(path.join(path.dirname(fromPath), 'pg_ctl'))) return path.dirname(fromPath);
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(base, v, 'bin');
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** True when a PostgreSQL server is reachable (TINGJIAN_TEST_PG_URL) or can be started here. */
export function postgresAvailable(): boolean {
  return Boolean(process.env.TINGJIAN_TEST_PG_URL) || findBinDir() !== null;
}

/**
 * A PostgreSQL database for one test file. With TINGJIAN_TEST_PG_URL (the server .ci/run starts)
 * it creates a fresh database there; otherwise it runs initdb + pg_ctl in a temp folder on a free
 * port (as the `postgres` user when we are root, since initdb refuses root) and removes it after.
 * `settings` are server settings for a cluster started here (a benchmark's memory), not a shared server's.
 */
export async function startThrowawayPostgres(opts: { settings?: Record<string, string> } = {}): Promise<ThrowawayPostgres> {
  const shared = process.env.TINGJIAN_TEST_PG_URL;
  if (shared) return freshDatabase(shared);
  const bin = findBinDir();
  if (!bin) throw new Error(`PostgreSQL binaries not found: ${POSTGRES_INSTALL}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tingjian-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  if (asRoot) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['postgres', dir]);
  }
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N']);
  const port = await freePort();
  const settings = Object.entries(opts.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join('');
  const serverOpts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off${settings}`;
  run('pg_ctl', ['-D', data, '-o', serverOpts, '-l', path.join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function freshDatabase(serverUrl: string): Promise<ThrowawayPostgres> {
  const { default: pg } = await import('pg');
  const name = `tingjian_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

