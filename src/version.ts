import { createRequire } from 'node:module';

/** The package version, read once from package.json (works from src/ under tsx and from dist/). */
const require = createRequire(import.meta.url);
function readVersion(): string {
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === 'tingjian' && pkg.version) return pkg.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}
export const TINGJIAN_VERSION = readVersion();
