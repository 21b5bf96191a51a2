import { access } from 'node:fs/promises';
import { Command } from 'commander';
import { EncryptedBlobStore } from '../../adapters/blob/encrypted-blob-store.js';
import { TingjianError } from '../../domain/errors.js';
import { keyringFromMasterKey, withNewKey } from '../../crypto/keyring-parser.js';
import { KEY_FILE_RECHECK_MS, KEY_FILE_SETTLE_MS, keyFileSettleWaitMs, readKeyringFile, writeKeyringFile } from '../../crypto/keyring.js';
import { rotateKeys, type RotationReport } from '../../crypto/rotate-keys.js';
import { addGlobalOptions, cliConfig, type GlobalOptions } from '../cli-config.js';
import { progressBar, type ProgressBar } from '../progress-bar.js';
import { withApp } from './rules-command.js';

/** `tingjian keys generate|rotate`: the master keys of encryption at rest (docs/security.md). */
export function keysCommand(): Command {
  return new Command('keys').description('master keys of encryption at rest: make a key file, add a key, re-wrap data keys under the current key').addCommand(generateCommand()).addCommand(rotateCommand());
}

interface GenerateOptions extends GlobalOptions {
  out?: string;
}

function generateCommand(): Command {
  return addGlobalOptions(
    new Command('generate')
      .description('write a new key file (mode 600), or add a new key, made current, to an existing one; without a file, print a key for TINGJIAN_MASTER_KEY')
      .option('--out <file>', 'the key file (default: TINGJIAN_MASTER_KEY_FILE)'),
  ).action(async (opts: GenerateOptions) => {
    const config = cliConfig(opts);
    const file = opts.out ?? config.masterKeyFile;
    if (!file) {
      const { keyring, id } = withNewKey(null);
      process.stdout.write(`TINGJIAN_MASTER_KEY=${keyring.key(id)!.toString('base64')}\n`);
      process.stderr.write(`a new master key (id ${id}); keep it secret and backed up. To rotate keys later, use a key file: tingjian keys generate --out <file>\n`);
      return;
    }
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    // An existing file keeps its keys; a key from the environment becomes an old key of the new file
    // (and its stable secret, so keys derived from it — the audit log's — do not change).
    const existing = exists ? await readKeyringFile(file) : config.masterKey ? keyringFromMasterKey(config.masterKey) : null;
    const { keyring, id } = withNewKey(existing);
    await writeKeyringFile(file, keyring);
    const lines = [`${exists ? 'added' : 'wrote'} master key ${id} (current) ${exists ? 'to' : 'in'} ${file} (mode 600); keys: ${keyring.ids().join(', ')}`];
    if (existing) lines.push(`running servers wrap new data under it within ${KEY_FILE_RECHECK_MS / 1000} s; now run \`tingjian keys rotate\` to re-wrap the data keys under it; keep the old keys until it reports no failures`);
    if (!exists && existing) lines.push(`then set TINGJIAN_MASTER_KEY_FILE=${file} and unset TINGJIAN_MASTER_KEY`);
    if (!exists && !existing) lines.push(`set TINGJIAN_MASTER_KEY_FILE=${file} to turn encryption at rest on; back the file up apart from the data: without it nothing encrypted can be read`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

interface RotateOptions extends GlobalOptions {
  json?: boolean;
}

function rotateCommand(): Command {
  return addGlobalOptions(
    new Command('rotate')
      .description('re-wrap every recording key file and stored data key still under an older master key under the current one (recordings are not re-encrypted; run again to resume)')
      .option('--json', 'print the report as JSON'),
  ).action(async (opts: RotateOptions) => {
    await waitForServersToReload(cliConfig(opts).masterKeyFile);
    const report = await withApp(opts, async (ctx) => {
      if (!ctx.keys) throw new TingjianError('CONFIG_INVALID', 'encryption at rest is off: set TINGJIAN_MASTER_KEY_FILE to the key file (`tingjian keys generate --out <file>` makes one)');
      let bar: ProgressBar | null = null;
      const r = await rotateKeys(
        { dataKeys: ctx.db.repos.dataKeys, blobs: ctx.blobs instanceof EncryptedBlobStore ? ctx.blobs : null, keys: ctx.keys },
        { onTotal: (n) => (bar = opts.json ? null : progressBar('rotate', n)), onProgress: (n) => bar?.update(n) },
      );
      (bar as ProgressBar | null)?.done();
      return r;
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderRotation(report));
    if (report.recordings.failed + report.dataKeys.failed > 0) process.exitCode = 1;
  });
}

/**
 * Running servers take a changed key file within KEY_FILE_RECHECK_MS; until then they may still
 * wrap new data under the old key, after this rotation's scan has passed it. So the scan starts
 * once the key file is KEY_FILE_SETTLE_MS old, and "older keys may now be removed" holds.
 */
async function waitForServersToReload(keyFile: string | undefined): Promise<void> {
  const wait = keyFile ? await keyFileSettleWaitMs(keyFile).catch(() => 0) : 0;
  if (wait <= 0) return;
  process.stderr.write(`the key file changed less than ${KEY_FILE_SETTLE_MS / 1000} s ago: waiting ${(wait / 1000).toFixed(1)} s for running servers to wrap new data under its current key\n`);
  await new Promise((r) => setTimeout(r, wait));
}

function renderRotation(r: RotationReport): string {
  const lines = [
    `current master key: ${r.currentKeyId}`,
    `recordings: ${r.recordings.rewrapped} re-wrapped, ${r.recordings.current} already current, ${r.recordings.failed} failed`,
    `data keys:  ${r.dataKeys.rewrapped} re-wrapped, ${r.dataKeys.failed} failed`,
    ...r.failures.map((f) => `✗ ${f.object}: ${f.error}`),
  ];
  if (r.recordings.failed + r.dataKeys.failed === 0) {
    lines.push(
      'everything is wrapped under the current key, and servers that share this key file have wrapped new data under it since before the rotation began: older keys may now be removed from the key file (keep a backup of it)',
      'unless a server logged "master key file not reloaded" (fix its key file and rotate again), or runs on another host whose key file was updated after this rotation began (rotate again)',
    );
  }
  return `${lines.join('\n')}\n`;
}
