import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A folder shipped with Tingjian (samples/calls, templates/rules), found from the calling module
 * whether it runs from src/ (tsx) or dist/ (built): the folder is 2 or 3 levels above it.
 * @example packageFolder('templates/rules', import.meta.url)
 */
export function packageFolder(relative: string, moduleUrl: string): string {
  const here = path.dirname(fileURLToPath(moduleUrl));
  for (const up of ['../..', '../../..']) {
    const p = path.resolve(here, up, relative);
    if (existsSync(p)) return p;
  }
  throw new Error(`${relative} not found next to the installation`);
}
