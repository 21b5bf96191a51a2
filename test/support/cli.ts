import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import type { Call } from '../../src/domain/call.js';
import type { Database } from '../../src/ports/repositories.js';

/**
 * Running the real CLI as a child process, the way a user does. Always the current source
 * (`node --import tsx src/cli/main.ts`), never a stale dist/ that bin/tingjian.js would prefer;
 * tsx and main.ts are absolute, so the child can run in any cwd.
 */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_MAIN = path.join(REPO_ROOT, 'src/cli/main.ts');
const TSX_LOADER = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  /** Sets TINGJIAN_DATA_DIR for the child. */
  dataDir?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** A file descriptor (an open log file) taking the child's stdout and stderr instead of pipes. */
  outputFd?: number;
}

/** The parent's environment without anything that would point the child at another data dir or database. */
export function childEnv(opts: CliOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('TINGJIAN_') || k === 'PORT' || k === 'HOST' || k === 'LOG_LEVEL') continue;
    env[k] = v;
  }
  return { ...env, LOG_LEVEL: 'silent', NO_COLOR: '1', ...(opts.dataDir ? { TINGJIAN_DATA_DIR: opts.dataDir } : {}), ...opts.env };
}

export function spawnCli(args: string[], opts: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, CLI_MAIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: childEnv(opts),
    stdio: opts.outputFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', opts.outputFd, opts.outputFd],
  });
}

/**
 * Run `tingjian <args>` to completion.
 * @example const r = await runCli(['ingest', dir, '--wait'], { dataDir }); assert.equal(r.code, 0, r.stderr);
 */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  const child = spawnCli(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tingjian ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Show what the CLI said when an assertion about it fails. */
export const said = (r: CliResult) => `exit ${String(r.code)}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** The stderr line about one input (a `✗ <source>: CODE: message` line), or '' when there is none. */
export function lineAbout(stderr: string, name: string): string {
  return stderr.split('\n').find((l) => l.includes('✗') && l.includes(name)) ?? '';
}

/** Open the data dir's SQLite database the CLI wrote, run fn, close it. */
export async function withDatabase<T>(dataDir: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(`sqlite:${path.join(dataDir, 'tingjian.db')}`);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Every stored call (newest first). */
export async function allCalls(db: Database): Promise<Call[]> {
  const out: Call[] = [];
  let cursor: string | undefined;
  do {
    const page = await db.repos.calls.list({}, { limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** Files under a folder, recursively (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Stored originals (`<dataDir>/recordings/sha256/…`) and leftover staging files. */
export function blobFiles(dataDir: string): { blobs: string[]; staging: string[] } {
  return { blobs: filesUnder(path.join(dataDir, 'recordings', 'sha256')), staging: filesUnder(path.join(dataDir, 'recordings', '.staging')) };
}

export const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * A damaged WAV: a real RIFF/WAVE start (so it is recognised as WAV) followed by garbage where
 * the fmt and data chunks should be — what a recorder that crashed mid-write can leave.
 */
export function corruptWav(good: Buffer): Buffer {
  const bad = Buffer.from(good);
  for (let i = 12; i < Math.min(bad.length, 512); i++) bad[i] = (i * 37 + 11) & 0xff;
  return bad;
}

/**
 * A long-running CLI child: collects output, resolves the first match of `pattern` on stdout,
 * and can be stopped with a signal, telling how it exited and how long that took.
 */
export function longRunning(args: string[], opts: CliOptions = {}) {
  const child: ChildProcess = spawnCli(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
  return {
    output,
    /** First match of pattern on stdout; fails if the process exits first or after timeoutMs. */
    async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      for (;;) {
        const m = stdout.match(pattern);
        if (m) return m;
        if (done) throw new Error(`tingjian ${args.join(' ')} exited before printing ${String(pattern)}\n${output()}`);
        if (Date.now() > deadline) throw new Error(`tingjian ${args.join(' ')} did not print ${String(pattern)} within ${timeoutMs} ms\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Send a signal; resolve with the exit and how long it took (SIGKILL after limitMs so a hang cannot outlive the test). */
    async stop(signal: NodeJS.Signals, limitMs: number) {
      const started = Date.now();
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
      const result = await exited;
      clearTimeout(killer);
      return { ...result, ms: Date.now() - started };
    },
    kill: () => child.kill('SIGKILL'),
    /** Resolves when the process has exited. */
    exited,
    child,
  };
}

/**
 * An administrator API token for a data dir, made the way an operator makes one (`tingjian users
 * create` then `tingjian tokens create`), for tests that drive a server process over HTTP.
 */
export async function cliAdminToken(opts: CliOptions, username = 'ops-admin'): Promise<{ authorization: string }> {
  const created = await runCli(['users', 'create', username, '--role', 'admin'], opts);
  if (created.code !== 0) throw new Error(said(created));
  const token = await runCli(['tokens', 'create', username, '--name', 'e2e'], opts);
  if (token.code !== 0) throw new Error(said(token));
  return { authorization: `Bearer ${token.stdout.trim()}` };
}
