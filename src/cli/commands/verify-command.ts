import { Command } from 'commander';
import { hasProblems, verifyRecordings, type VerifyResult, type VerifySummary } from '../../integrity/verify-recordings.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';
import { withApp } from './rules-command.js';

interface VerifyOptions extends GlobalOptions {
  json?: boolean;
}

/**
 * `tingjian verify`: every stored original re-hashed against the sha256 recorded at ingest.
 * Exit 0 when all are ok, 1 when any is changed, missing or unreadable (2: the command failed).
 */
export function verifyCommand(): Command {
  return addGlobalOptions(
    new Command('verify')
      .description('re-hash every stored recording against its recorded sha256: report changed, missing and unreadable (tampered) originals; exit 1 when any')
      .option('--json', 'print every call’s result and the summary as JSON'),
  ).action(async (opts: VerifyOptions) => {
    const { summary, results, encrypted } = await withApp(opts, async (ctx) => {
      const bar = opts.json ? null : progressBar('verify', await ctx.db.repos.recordings.count());
      const kept: VerifyResult[] = [];
      const s = await verifyRecordings(
        { recordings: ctx.db.repos.recordings, blobs: ctx.blobs },
        {
          onResult: (r) => {
            // Text output lists problems only; JSON lists every call.
            if (opts.json || r.status !== 'ok') kept.push(r);
            bar?.tick();
          },
        },
      );
      bar?.done();
      return { summary: s, results: kept, encrypted: ctx.keys !== null };
    });
    process.stdout.write(opts.json ? `${JSON.stringify({ summary, results }, null, 2)}\n` : renderVerify(summary, results, encrypted));
    if (hasProblems(summary)) process.exitCode = 1;
  });
}

function renderVerify(s: VerifySummary, problems: VerifyResult[], encrypted: boolean): string {
  const lines = problems.map((r) => {
    if (r.status === 'changed') {
      return `changed     ${r.callId}  ${r.blobKey}: sha256 ${r.sha256!.slice(0, 16)}… ${r.sizeBytes} bytes, recorded ${r.expectedSha256.slice(0, 16)}… ${r.expectedSizeBytes} bytes`;
    }
    if (r.status === 'missing') return `missing     ${r.callId}  ${r.blobKey}`;
    return `unreadable  ${r.callId}  ${r.blobKey}: ${r.error}`;
  });
  lines.push(`verified ${s.total} recordings: ${s.ok} ok, ${s.changed} changed, ${s.missing} missing, ${s.unreadable} unreadable`);
  if (!encrypted && s.unreadable > 0) lines.push('note: encryption at rest is off here; recordings stored encrypted are unreadable without their master key (TINGJIAN_MASTER_KEY_FILE)');
  return `${lines.join('\n')}\n`;
}
