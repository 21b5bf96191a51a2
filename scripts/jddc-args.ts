/**
 * Command-line options of the scripts that read the CSDS/JDDC dialogues by hand-evaluation
 * (discover-topics.ts, summarize-jddc.ts): `--name value` options and the data folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** `--jddc <dir>`, by default ../shared/data/csds_jddc beside the checkout; exits when it has no dialogues. */
export function jddcDir(): string {
  const dir = option('--jddc') ?? path.resolve(import.meta.dirname, '../../shared/data/csds_jddc');
  if (!existsSync(path.join(dir, 'test_key_utterances.txt'))) {
    console.error(`no test_key_utterances.txt in ${dir} (pass --jddc <dir>)`);
    process.exit(1);
  }
  return dir;
}
