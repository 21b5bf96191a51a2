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

describe('HTTP API end to end (real server, SQLite, in-process workers)', () => {
  describe('idempotent ingest', () => {
    test('the same multipart upload twice returns the first call (matchedBy externalId)', async () => {
      const wav = freshWav();
      const meta = callInput();
      const first = await upload(wav, 'twice.wav', meta);
      assert.equal(first.res.status, 201);
      const again = await upload(wav, 'twice.wav', meta);
      assert.equal(again.res.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.created, false);
      assert.equal(again.body.matchedBy, 'externalId');
      assert.equal(again.body.call.id, first.body.call.id);
    });

    test('the same audio bytes under another externalId, or none, match by sha256', async () => {
      const wav = freshWav();
      const first = await upload(wav, 'a.wav', callInput());
      assert.equal(first.res.status, 201);
      const other = await upload(wav, 'b.wav', callInput());
      assert.equal(other.res.status, 200, JSON.stringify(other.body));
      assert.equal(other.body.created, false);
      assert.equal(other.body.matchedBy, 'sha256');
      assert.equal(other.body.call.id, first.body.call.id);
      const none = await upload(wav, 'c.wav');
      assert.equal(none.res.status, 200);
      assert.equal(none.body.matchedBy, 'sha256');
      assert.equal(none.body.call.id, first.body.call.id);
    });

    test('the same transcript JSON twice returns the first call', async () => {
      const input = transcriptInput();
      const first = await postJson(input);
      assert.equal(first.res.status, 201);
      const again = await postJson(input);
      assert.equal(again.res.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.created, false);
      assert.equal(again.body.matchedBy, 'externalId');
      assert.equal(again.body.call.id, first.body.call.id);
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
      const audio = await fetch(`${base}/api/v1/calls/${body.items[0]!.id}/audio`);
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
      const audio = await fetch(`${base}/api/v1/calls/${id}/audio`);
      assert.ok(Buffer.from(await audio.arrayBuffer()).equals(wav));
    });
  });
});
