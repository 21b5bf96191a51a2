/**
 * Generates the bundled sample calls: `samples/calls/<externalId>.wav` + `<externalId>.json`
 * from the dialogues in `samples/call-scripts.ts`.
 *
 *   npm run samples:generate            # writes samples/calls/
 *   npx tsx scripts/generate-samples.ts --out /tmp/calls
 *
 * Each utterance is synthesized with espeak-ng (Mandarin read from tone-numbered pinyin, because
 * the stock `cmn` dictionary lacks most characters), resampled to 8 kHz by ffmpeg, trimmed to its
 * audible part and laid on a timeline. The mix is a stereo telephone recording — agent left,
 * customer right, 8 kHz G.711 μ-law — and the sidecar's segments are exactly where each utterance
 * was placed. All timing choices come from a PRNG seeded by the call id, so the JSON is
 * reproducible; the WAV is too, as long as espeak-ng and ffmpeg are the same versions.
 *
 * The steps live in scripts/samples/: speakable-pinyin (text → what espeak-ng reads),
 * speech-synthesis, timeline-layout, stereo-mulaw-wav (mix, encode, read back), label-checks and
 * generate-call (one call's WAV + sidecar).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALL_SCRIPTS } from '../samples/call-scripts.js';
import { requireTools } from './samples/external-tools.js';
import { generateCall } from './samples/generate-call.js';
import { checkLabels } from './samples/label-checks.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_OUT_DIR = join(REPO_ROOT, 'samples', 'calls');

/** Stereo μ-law is 16 kB/s; the bundle ships in the npm package, so keep it small. */
const MAX_TOTAL_BYTES = 10_000_000;

/**
 * Removes outputs of calls no longer in the scripts, so the bundle matches the script list. Only
 * in samples/calls: a `--out` folder may hold files that are not ours.
 */
function removeStale(outDir: string, ids: Set<string>): void {
  if (outDir !== DEFAULT_OUT_DIR) return;
  for (const name of readdirSync(outDir)) {
    const m = /^(.+)\.(wav|json)$/.exec(name);
    if (m?.[1] && !ids.has(m[1])) rmSync(join(outDir, name));
  }
}

function parseArgs(argv: string[]): { outDir: string } {
  const i = argv.indexOf('--out');
  if (i >= 0) {
    const dir = argv[i + 1];
    if (!dir) throw new Error('--out needs a directory');
    return { outDir: resolve(dir) };
  }
  return { outDir: DEFAULT_OUT_DIR };
}

function main(): void {
  const { outDir } = parseArgs(process.argv.slice(2));
  requireTools();
  const ids = new Set(CALL_SCRIPTS.map((s) => s.externalId));
  if (ids.size !== CALL_SCRIPTS.length) throw new Error('duplicate externalId in samples/call-scripts.ts');
  // All label checks first: a script mistake should stop the run before any file is rewritten.
  CALL_SCRIPTS.forEach(checkLabels);

  mkdirSync(outDir, { recursive: true });
  removeStale(outDir, ids);
  const workDir = mkdtempSync(join(tmpdir(), 'tingjian-samples-'));
  let totalBytes = 0;
  try {
    for (const script of CALL_SCRIPTS) {
      const { durationMs, bytes } = generateCall(script, outDir, workDir);
      const jsonBytes = statSync(join(outDir, `${script.externalId}.json`)).size;
      totalBytes += bytes + jsonBytes;
      const problems = script.problems.length > 0 ? script.problems.join(',') : 'none';
      console.log(`${script.externalId.padEnd(14)} ${(durationMs / 1000).toFixed(2).padStart(6)} s ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${problems}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`total: ${CALL_SCRIPTS.length} calls, ${(totalBytes / 1024 / 1024).toFixed(2)} MiB (${totalBytes} bytes) in ${outDir}`);
  if (totalBytes >= MAX_TOTAL_BYTES) {
    console.error(`generate-samples: the bundle is ${totalBytes} bytes, over the ${MAX_TOTAL_BYTES}-byte budget — shorten the calls`);
    process.exit(1);
  }
}

try {
  main();
} catch (e) {
  console.error(`generate-samples: ${(e as Error).message}`);
  process.exit(1);
}
