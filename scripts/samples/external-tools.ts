/** Running espeak-ng and ffmpeg, and checking up front that they are installed. */
import { spawnSync } from 'node:child_process';

export const ESPEAK_VOICE = 'cmn-latn-pinyin';
const INSTALL_HINT = 'apt-get install -y espeak-ng ffmpeg';

export function run(cmd: string, args: string[], input?: Buffer): Buffer {
  const res = spawnSync(cmd, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr.toString().trim()}`);
  return res.stdout;
}

/** Fails fast, with the install command, when a tool is missing — not halfway through the set. */
export function requireTools(): void {
  const missing: string[] = [];
  for (const [cmd, arg] of [['espeak-ng', '--version'], ['ffmpeg', '-version']] as const) {
    const res = spawnSync(cmd, [arg]);
    if (res.error || res.status !== 0) missing.push(cmd);
  }
  if (missing.length === 0) {
    const voices = spawnSync('espeak-ng', [`--voices=${ESPEAK_VOICE}`]).stdout?.toString() ?? '';
    if (!voices.includes(ESPEAK_VOICE)) missing.push(`espeak-ng voice ${ESPEAK_VOICE}`);
  }
  if (missing.length > 0) {
    console.error(`generate-samples: missing ${missing.join(', ')}. Install with: ${INSTALL_HINT}`);
    process.exit(1);
  }
}
