import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text assets worth compressing; images and fonts are compressed already. */
export const COMPRESSIBLE = /\.(js|css|svg|json|wasm)$/;
/** Below this a compressed copy saves less than the header costs. */
const MIN_BYTES = 1024;

/**
 * Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every text asset of the
 * build, once, so the server sends them to browsers that accept them without compressing per
 * request (src/http/console/console-files.ts): the first page's ~1 MB of antd CSS and ~700 KB of
 * scripts travel as ~250 KB. A copy that would not be smaller is not written.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'tingjian-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => COMPRESSIBLE.test(f));
      await Promise.all(
        files.map(async (f) => {
          const full = path.join(outDir, f);
          const body = await readFile(full);
          if (body.length < MIN_BYTES) return;
          const [b, g] = await Promise.all([
            br(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
            gz(body, { level: 9 }),
          ]);
          if (b.length < body.length) await writeFile(`${full}.br`, b);
          if (g.length < body.length) await writeFile(`${full}.gz`, g);
        }),
      );
    },
  };
}
