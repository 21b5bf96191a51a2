import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TingjianError } from '../../domain/errors.js';

/** Where the ffmpeg we use came from: the operator's setting, the system PATH, or the npm static build. */
export type FfmpegSource = 'config' | 'system' | 'npm';

export interface FfmpegLocation {
  /** Absolute path (or the configured value verbatim) of a binary that answered `-version`. */
  path: string;
  source: FfmpegSource;
}

/** Seams for tests; production code calls {@link locateFfmpeg}. */
export interface FindFfmpegOptions {
  /** PATH to search; default process.env.PATH. */
  pathEnv?: string | undefined;
  /** Path of the npm static binary, or null when that package is absent; default: resolve @ffmpeg-installer/ffmpeg. */
  npmPath?: string | null;
}

const VERSION_TIMEOUT_MS = 10_000;
const FIX_HINT = 'install it with `apt-get install -y ffmpeg` (or run `npm install` to restore the bundled @ffmpeg-installer/ffmpeg binary)';

/** Successful lookups only: a failure is retried next time, so installing ffmpeg needs no restart. */
const cache = new Map<string, Promise<FfmpegLocation>>();

/**
 * Finds a working ffmpeg, once per configured value: the configured path if given (it must run,
 * no silent fallback, so a typo is loud), else `ffmpeg` on PATH, else the static binary shipped by
 * `@ffmpeg-installer/ffmpeg`. "Working" means `<path> -version` exits 0.
 * Throws TingjianError('DEPENDENCY_MISSING') saying how to fix it.
 *
 * @example
 *   const { path, source } = await locateFfmpeg(config.ffmpegPath); // e.g. { path: '/usr/bin/ffmpeg', source: 'system' }
 */
export function locateFfmpeg(configured?: string): Promise<FfmpegLocation> {
  const key = configured ?? '';
  let found = cache.get(key);
  if (!found) {
    found = findFfmpeg(configured);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

/** Forgets cached lookups (tests; or after the operator changed the installation). */
export function clearFfmpegLocationCache(): void {
  cache.clear();
}

/**
 * The uncached lookup behind {@link locateFfmpeg}, with the PATH and npm binary injectable.
 *
 * @example
 *   await findFfmpeg(undefined, { pathEnv: '', npmPath: null }); // throws DEPENDENCY_MISSING
 */
export async function findFfmpeg(configured?: string, opts: FindFfmpegOptions = {}): Promise<FfmpegLocation> {
  if (configured !== undefined && configured !== '') {
    const problem = await whyNotRunnable(configured);
    if (problem) {
      throw new TingjianError(
        'DEPENDENCY_MISSING',
        `the configured ffmpeg "${configured}" cannot be run (${problem}); fix TINGJIAN_FFMPEG / ffmpegPath, or unset it to use ffmpeg from PATH — ${FIX_HINT}`,
        { configured },
      );
    }
    return { path: configured, source: 'config' };
  }

  const tried: string[] = [];
  const onPath = await findOnPath('ffmpeg', opts.pathEnv ?? process.env.PATH ?? '');
  if (onPath) {
    const problem = await whyNotRunnable(onPath);
    if (!problem) return { path: onPath, source: 'system' };
    tried.push(`${onPath}: ${problem}`);
  } else {
    tried.push('no ffmpeg on PATH');
  }

  const npm = opts.npmPath !== undefined ? opts.npmPath : npmFfmpegPath();
  if (npm) {
    const problem = await whyNotRunnable(npm);
    if (!problem) return { path: npm, source: 'npm' };
    tried.push(`${npm}: ${problem}`);
  } else {
    tried.push('@ffmpeg-installer/ffmpeg binary not installed');
  }

  throw new TingjianError('DEPENDENCY_MISSING', `ffmpeg not found (${tried.join('; ')}); ${FIX_HINT}`, { tried });
}

/**
 * The static ffmpeg of `@ffmpeg-installer/ffmpeg`, or null. Loaded lazily with require because the
 * package throws (a string!) at load time when its per-platform binary package is missing.
 *
 * @example
 *   npmFfmpegPath(); // '/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg' or null
 */
export function npmFfmpegPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const installer = require('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    return typeof installer.path === 'string' ? installer.path : null;
  } catch {
    return null;
  }
}

async function findOnPath(name: string, pathEnv: string): Promise<string | null> {
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.resolve(dir, name + ext);
      try {
        if ((await stat(candidate)).isFile()) {
          await access(candidate, fsConstants.X_OK);
          return candidate;
        }
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

/** Runs `<bin> -version`; returns null when it worked, else a short reason. */
function whyNotRunnable(bin: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(bin, ['-version'], { timeout: VERSION_TIMEOUT_MS, windowsHide: true }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve(typeof code === 'string' ? code : err.killed ? 'timed out' : `exit ${String(code)}`);
      } else if (!/ffmpeg version/i.test(stdout)) {
        resolve('`-version` did not print an ffmpeg version');
      } else {
        resolve(null);
      }
    });
  });
}
