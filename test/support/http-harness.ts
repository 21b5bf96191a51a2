import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import type { NewAccountInput } from '../../src/access/account-service.js';
import type { AppContext } from '../../src/app/app-context.js';
import { buildServer } from '../../src/http/build-server.js';
import type { ConfigInput } from '../../src/config/config.js';
import { testApp, wavBuffer } from './factories.js';

/**
 * The HTTP end-to-end tests' harness (test/e2e/http-*.test.ts): the whole app (SQLite, blob
 * store, in-process workers) behind a listening Fastify, and helpers that drive it with the
 * global fetch/FormData/Blob a real client would use.
 *
 * Await `startHttpServer()` (and any other setup) and register `after(() => api.close())` before
 * declaring a test (see probe-audio.test.ts): a root `after` registered behind a top-level await
 * can otherwise run between batches of tests.
 */

export interface ErrorBody {
  error: { code: string; message: string };
}
export interface StoredCall {
  id: string;
  externalId: string | null;
  status: 'processing' | 'done' | 'failed';
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
  startedAt: string | null;
  stages: Record<string, { status: string; note?: string; error?: string }>;
  [k: string]: unknown;
}
export interface Accepted {
  call: StoredCall;
  created: boolean;
  matchedBy?: 'externalId' | 'sha256';
}
export interface ListPage {
  items: StoredCall[];
  nextCursor: string | null;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let seed = 1000;
/** A WAV no other test uploads (the seed changes the noise, so the sha256). */
export const freshWav = (opts: { seconds?: number; channels?: number } = {}) => wavBuffer({ seconds: opts.seconds ?? 0.5, channels: opts.channels ?? 2, seed: ++seed });

export async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${res.status} ${res.url}: body is not JSON: ${text.slice(0, 200)}`);
  }
}

function uploadForm(bytes: Buffer, name: string, metadata?: Record<string, unknown>, type = 'audio/wav'): FormData {
  const form = new FormData();
  if (metadata) form.append('metadata', JSON.stringify(metadata));
  form.append('audio', new Blob([bytes], { type }), name);
  return form;
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A real MP3, made at test time by the same ffmpeg the app uses to probe it. `remove` deletes its folder. */
export async function makeToneMp3(): Promise<{ bytes: Buffer; remove: () => void }> {
  const fixtures = mkdtempSync(path.join(tmpdir(), 'tingjian-e2e-api-'));
  const ffmpeg = (await locateFfmpeg()).path;
  const mp3Path = path.join(fixtures, 'tone.mp3');
  execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-ac', '2', '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '32k', mp3Path]);
  const bytes = readFileSync(mp3Path);
  return { bytes, remove: () => rmSync(fixtures, { recursive: true, force: true }) };
}

/** An administrator of this app and the Authorization header of an API token of theirs. */
export async function adminAuth(app: { accounts: AppContext['accounts'] }, username = 'test-admin'): Promise<{ authorization: string }> {
  return (await accountWithToken(app, { username, role: 'admin' })).headers;
}

/** An account (any role, data scope, optional password) and the Authorization header of an API token of theirs. */
export async function accountWithToken(app: { accounts: AppContext['accounts'] }, input: NewAccountInput) {
  const account = await app.accounts.createAccount(input);
  const { token } = await app.accounts.createToken(account.id, { name: 'tests' }, null);
  return { account, headers: { authorization: `Bearer ${token}` } };
}

/** The app with in-process workers and a 1 MB upload limit (and any other `config`), listening on a free port of 127.0.0.1. */
export async function startHttpServer(config: ConfigInput = {}) {
  const app = await testApp({ workers: true, config: { maxUploadMb: 1, ...config } });
  const server = await buildServer(app);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  // Every request of these tests is made as an administrator with an API token (the access
  // rules themselves are tested in http-auth.test.ts and http-route-role-matrix.test.ts).
  const auth = await adminAuth(app);
  const token = auth.authorization.slice('Bearer '.length);
  /** fetch with the administrator's token (headers given win). */
  const authedFetch = (url: string, init: RequestInit = {}): Promise<Response> =>
    fetch(url, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });

  async function close(): Promise<void> {
    await server.close();
    await app.close();
  }

  async function upload(bytes: Buffer, name: string, metadata?: Record<string, unknown>, type?: string): Promise<{ res: Response; body: Accepted }> {
    const res = await authedFetch(`${base}/api/v1/calls`, { method: 'POST', body: uploadForm(bytes, name, metadata, type) });
    return { res, body: await json<Accepted>(res) };
  }

  async function postJson(body: unknown): Promise<{ res: Response; body: Accepted }> {
    const res = await authedFetch(`${base}/api/v1/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { res, body: await json<Accepted>(res) };
  }

  async function get<T>(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ res: Response; body: T }> {
    const res = await authedFetch(`${base}${pathAndQuery}`, { headers });
    return { res, body: await json<T>(res) };
  }

  /** Polls the call until the pipeline is finished (done or failed), for at most `timeoutMs`. */
  async function waitForCall(id: string, timeoutMs = 10_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { res, body } = await get<{ call: StoredCall }>(`/api/v1/calls/${id}`);
      assert.equal(res.status, 200);
      if (body.call.status !== 'processing') {
        assert.equal(body.call.status, 'done', `call ${id} failed: ${JSON.stringify(body.call.stages)}`);
        return body;
      }
      if (Date.now() > deadline) assert.fail(`call ${id} still processing after ${timeoutMs} ms: ${JSON.stringify(body.call.stages)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function listAll(query: string, limit: number): Promise<StoredCall[]> {
    const all: StoredCall[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { res, body }: { res: Response; body: ListPage } = await get<ListPage>(`/api/v1/calls?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.ok(body.items.length <= limit);
      all.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return all;
    }
    throw new Error('more than 100 pages');
  }

  return { app, server, base, token, fetch: authedFetch, close, upload, postJson, get, waitForCall, listAll };
}
