import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cliAdminToken, longRunning } from '../support/cli.js';
import { tempDir, transcriptInput } from '../support/factories.js';

// TINGJIAN_SERVICES picks the roles of a process: an API that only accepts and serves, and a
// separate worker process that runs the pipeline from the shared jobs table.
const tmp = tempDir();
const procs: Array<ReturnType<typeof longRunning>> = [];
after(() => {
  for (const p of procs) p.kill();
  tmp.cleanup();
});

test('an API-only process queues calls; a worker-only process finishes them', async () => {
  const api = longRunning(['serve', '--port', '0'], { dataDir: tmp.dir, env: { TINGJIAN_SERVICES: 'api' } });
  procs.push(api);
  const [, base] = await api.waitFor(/API on (http:\/\/[^\s]+)/, 30_000);
  const health = (await (await fetch(`${base}/api/v1/health`)).json()) as { workers: boolean };
  assert.equal(health.workers, false);

  const auth = await cliAdminToken({ dataDir: tmp.dir });
  const res = await fetch(`${base}/api/v1/calls`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(transcriptInput()) });
  assert.equal(res.status, 201);
  const { call } = (await res.json()) as { call: { id: string } };
  await new Promise((r) => setTimeout(r, 1000));
  const waiting = (await (await fetch(`${base}/api/v1/calls/${call.id}`, { headers: auth })).json()) as { call: { status: string; stages: Record<string, { status: string }> } };
  assert.equal(waiting.call.status, 'processing');
  assert.equal(waiting.call.stages.ingest!.status, 'queued', 'no worker in the API process');

  const worker = longRunning(['serve'], { dataDir: tmp.dir, env: { TINGJIAN_SERVICES: 'worker' } });
  procs.push(worker);
  await worker.waitFor(/workers running/, 30_000);
  const deadline = Date.now() + 20_000;
  let status = 'processing';
  while (status === 'processing' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    status = ((await (await fetch(`${base}/api/v1/calls/${call.id}`, { headers: auth })).json()) as { call: { status: string } }).call.status;
  }
  assert.equal(status, 'done', 'the worker process ran the pipeline');

  for (const p of [api, worker]) {
    const stopped = await p.stop('SIGTERM', 5000);
    assert.equal(stopped.code, 0, p.output());
  }
});
