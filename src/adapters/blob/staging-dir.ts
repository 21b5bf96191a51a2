import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeadLocalProcess, processTag } from '../../platform/process-identity.js';

/** A staging file older than this is abandoned whoever wrote it (another host on a shared disk). */
export const STALE_STAGING_MS = 24 * 3600 * 1000;

/**
 * The `.staging` folder of a local store: files are written under `<process tag>:<uuid>[ext]`
 * and renamed into place, so a reader never sees half a file. Several processes may share it
 * (API, workers, a CLI), so `sweep` removes only files whose writer is known dead, or a day old.
 */
export class StagingDir {
  constructor(readonly dir: string) {}

  /** Create the folder and drop what crashed writers left behind. */
  async sweep(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.dir)) {
      const file = path.join(this.dir, name);
      const old = ((await stat(file).catch(() => null))?.mtimeMs ?? now) < now - STALE_STAGING_MS;
      if (isDeadLocalProcess(name) || old) await rm(file, { recursive: true, force: true });
    }
  }

  /** A fresh path in the folder, named after this process (the folder is created if needed). */
  async newPath(ext = ''): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    return path.join(this.dir, `${processTag()}:${randomUUID()}${ext}`);
  }

  /** A fresh empty folder in the folder, mode 700, named as newPath names files (swept the same way). */
  async newDir(): Promise<string> {
    const dir = await this.newPath();
    await mkdir(dir, { mode: 0o700 });
    return dir;
  }
}
