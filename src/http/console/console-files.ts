import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { packageFolder } from '../../platform/package-path.js';
import { CONTENT_SECURITY_POLICY } from '../security-headers.js';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * The built console (dist/console, made by `npm run build` / `npm run build:console`), found from
 * this module whether it runs from src/ (tsx) or dist/ (built); null when it is not built.
 */
export function consoleFolder(moduleUrl: string = import.meta.url): string | null {
  try {
    const p = packageFolder('dist/console', moduleUrl);
    return existsSync(path.join(p, 'index.html')) ? p : null;
  } catch {
    return null;
  }
}

/**
 * The page's policy: the API's, plus <style> elements carrying this response's nonce (antd and
 * wavesurfer inject their styles at run time; without the nonce the CSP would need
 * 'unsafe-inline'). Scripts stay 'self' only.
 */
export function consoleCsp(nonce: string): string {
  return `${CONTENT_SECURITY_POLICY}; style-src 'self' 'nonce-${nonce}'`;
}

export interface ConsoleFile {
  body: Buffer;
  type: string;
  /** Hashed file names under /assets never change: cached for a year. */
  immutable: boolean;
  /** Set when `body` is the build's precompressed copy (console/precompress.ts). */
  encoding?: 'br' | 'gzip';
}

/**
 * The encodings an Accept-Encoding header takes, of those the build writes, best first: brotli,
 * then gzip. `q=0` refuses one; `*` takes any not named.
 * @example acceptedEncodings('gzip, deflate, br') // ['br', 'gzip']
 */
export function acceptedEncodings(header: string | undefined): Array<'br' | 'gzip'> {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const takes = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(takes);
}

const SUFFIX = { br: '.br', gzip: '.gz' } as const;

/**
 * Reads the built console's files. index.html is read again when its file changed (a rebuild
 * while the server runs names new hashed assets and deletes the old ones) and gets a fresh nonce
 * per response. Assets come as the build's brotli or gzip copy when the browser takes one.
 */
export class ConsoleFiles {
  private index: { html: string; mtimeMs: number } | null = null;

  constructor(readonly root: string) {}

  /** index.html with a fresh nonce in its meta tag, and that nonce. */
  async page(): Promise<{ html: string; nonce: string }> {
    const file = path.join(this.root, 'index.html');
    const { mtimeMs } = await stat(file);
    if (this.index?.mtimeMs !== mtimeMs) this.index = { html: await readFile(file, 'utf8'), mtimeMs };
    const nonce = randomBytes(16).toString('base64');
    return { html: this.index.html.replace('<meta name="csp-nonce" content="" />', `<meta name="csp-nonce" content="${nonce}" />`), nonce };
  }

  /**
   * A file of the assets folder by its URL path (/assets/…), or null: also for paths that try to
   * leave that folder (/assets/%2e%2e/index.html would be the page without its nonce, cached for
   * a year as an asset).
   */
  async file(urlPath: string, acceptEncoding?: string): Promise<ConsoleFile | null> {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath.split('?')[0]!);
    } catch {
      return null;
    }
    const full = path.resolve(this.root, `.${path.posix.normalize(`/${rel}`)}`);
    if (!full.startsWith(path.join(this.root, 'assets') + path.sep)) return null;
    const s = await stat(full).catch(() => null);
    if (!s?.isFile()) return null;
    const type = TYPES[path.extname(full)] ?? 'application/octet-stream';
    for (const encoding of acceptedEncodings(acceptEncoding)) {
      const body = await readFile(full + SUFFIX[encoding]).catch(() => null);
      if (body) return { body, type, immutable: true, encoding };
    }
    return { body: await readFile(full), type, immutable: true };
  }
}
