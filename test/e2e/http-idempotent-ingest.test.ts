import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callInput, transcriptInput } from '../support/factories.js';
import { freshWav, startHttpServer, type ListPage } from '../support/http-harness.js';

// End-to-end over real HTTP (see ../support/http-harness.ts): the same call sent twice, or many
// times at once, is stored once.
// Every await of the setup happens before any test is declared (see probe-audio.test.ts): a root
// `after` registered behind a top-level await can otherwise run between batches of tests.

const api = await startHttpServer();
const { base, get, upload, postJson, waitForCall } = api;

after(async () => {
  await api.close();
});

/** A repeated push answered with the first call: 200, not created, and why it matched. */
function assertExisting(again: { res: Response; body: { created: boolean; matchedBy?: string; call: { id: string } } }, firstId: string, matchedBy: 'externalId' | 'sha256') {
  assert.equal(again.res.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.created, false);
  assert.equal(again.body.matchedBy, matchedBy);
  assert.equal(again.body.call.id, firstId);
}

describe('HTTP API end to end (real server, SQLite, in-process workers)', () => {
  describe('idempotent ingest', () => {
    test('the same multipart upload twice returns the first call (matchedBy externalId)', async () => {
      const wav = freshWav();
      const meta = callInput();
      const first = await upload(wav, 'twice.wav', meta);
      assert.equal(first.res.status, 201);
      assertExisting(await upload(wav, 'twice.wav', meta), first.body.call.id, 'externalId');
    });

    test('the same audio bytes under another externalId, or none, match by sha256', async () => {
      const wav = freshWav();
      const first = await upload(wav, 'a.wav', callInput());
      assert.equal(first.res.status, 201);
      assertExisting(await upload(wav, 'b.wav', callInput()), first.body.call.id, 'sha256');
      assertExisting(await upload(wav, 'c.wav'), first.body.call.id, 'sha256');
    });

    test('the same transcript JSON twice returns the first call', async () => {
      const input = transcriptInput();
      const first = await postJson(input);
      assert.equal(first.res.status, 201);
      assertExisting(await postJson(input), first.body.call.id, 'externalId');
    });

    test('20 identical concurrent uploads store exactly one call', async () => {
      const wav = freshWav();
      const meta = callInput({ agentId: 'A-E2E-RACE' });
      const results = await Promise.all(Array.from({ length: 20 }, () => upload(wav, 'race.wav', meta)));
      const statuses = results.map((r) => r.res.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 200).length, 19, `statuses: ${statuses.join(',')}`);
      assert.equal(new Set(results.map((r) => r.body.call.id)).size, 1, 'everyone got the same call');
      const { body } = await get<ListPage>('/api/v1/calls?agentId=A-E2E-RACE');
      assert.equal(body.items.length, 1);
      await waitForCall(body.items[0]!.id);
      // the one blob is intact after 19 discarded duplicates
      const audio = await api.fetch(`${base}/api/v1/calls/${body.items[0]!.id}/audio`);
      assert.ok(Buffer.from(await audio.arrayBuffer()).equals(wav));
    });

    test('the same new audio sent at once under different externalIds stores one call (sha256)', async () => {
      const wav = freshWav();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => upload(wav, `race-${i}.wav`, i % 2 ? callInput({ agentId: 'A-E2E-RACE2' }) : undefined)));
      const statuses = results.map((r) => r.res.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
      assert.ok(
        results.filter((r) => r.res.status === 200).every((r) => r.body.matchedBy === 'sha256'),
        'losers matched by sha256',
      );
      assert.equal(new Set(results.map((r) => r.body.call.id)).size, 1);
      const id = results[0]!.body.call.id;
      await waitForCall(id);
      const audio = await api.fetch(`${base}/api/v1/calls/${id}/audio`);
      assert.ok(Buffer.from(await audio.arrayBuffer()).equals(wav));
    });
  });
});
