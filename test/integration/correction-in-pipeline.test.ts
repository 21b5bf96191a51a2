import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { CorrectionService } from '../../src/transcribe/correction/correction-service.js';
import { callInput, testApp } from '../support/factories.js';

/**
 * The correction dictionary in the pipeline: a phone call transcribed elsewhere gets its
 * misheard business terms fixed, with what was heard kept beside; a chat (typed) is left alone.
 */
let app: Awaited<ReturnType<typeof testApp>>;
before(async () => {
  app = await testApp({ workers: true });
  await new CorrectionService(app.db).save({ terms: [{ term: '圆通快递' }, { term: '豆沙色' }] });
});
after(() => app.close());

const segments = [
  { speaker: 'customer', startMs: 0, endMs: 3000, text: '我的圆桶快递还没到' },
  { speaker: 'agent', startMs: 3500, endMs: 6000, text: '您买的是豆沙塞那款口红对吗' },
  { speaker: 'customer', startMs: 6500, endMs: 8000, text: '对的' },
];

test('phone transcripts are corrected (rawText kept, the version named); chats are not', async () => {
  const phone = await app.ingest.accept({ input: { ...callInput({ channel: 'phone' }), segments } });
  const chat = await app.ingest.accept({ input: { ...callInput({ channel: 'chat' }), segments } });
  const [p, c] = await waitForCalls(app.db, [phone.call.id, chat.call.id], { timeoutMs: 30_000, pollMs: 20 });
  assert.match(p!.stages.transcribe.note ?? '', /correction dictionary v1: 2 segment\(s\) corrected/);
  const t = (await app.db.repos.transcripts.get(p!.id))!.segments;
  assert.deepEqual(
    t.map((s) => [s.text, s.rawText]),
    [
      ['我的圆通快递还没到', '我的圆桶快递还没到'],
      ['您买的是豆沙色那款口红对吗', '您买的是豆沙塞那款口红对吗'],
      ['对的', undefined],
    ],
  );
  assert.equal(c!.status, 'done');
  assert.deepEqual((await app.db.repos.transcripts.get(c!.id))!.segments.map((s) => s.text), segments.map((s) => s.text));
  assert.equal((await app.db.repos.transcripts.get(c!.id))!.segments[0]!.rawText, undefined);
});
