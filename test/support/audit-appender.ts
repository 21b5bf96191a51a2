import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { createAuditLog } from '../../src/audit/audit-log.js';

/**
 * Another process appending to the audit log at the same time as the test: what a CLI does
 * beside a running server. Run as a script it opens the database, says `ready`, waits for a line
 * on stdin, then records `count` events at once and exits.
 */
export async function appendFromAnotherProcess(url: string, secret: Buffer, count: number, prefix: string, go: () => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), url, secret.toString('hex'), String(count), prefix], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error(`the appender exited before it was ready: ${out}`)));
  });
  child.stdin.end('go\n');
  await go();
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`the appender process failed (exit ${String(code)})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, secretHex, count, prefix] = process.argv.slice(2) as [string, string, string, string];
  const db = await openDatabase(url);
  const log = createAuditLog(db, { secret: Buffer.from(secretHex, 'hex'), retentionDays: 365 });
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      log.record({ actor: { userId: null, username: 'other.process', role: null, via: 'system' }, action: 'call.view', targetId: `${prefix}-${i}`, outcome: 'allowed' }),
    ),
  );
  await db.close();
}
