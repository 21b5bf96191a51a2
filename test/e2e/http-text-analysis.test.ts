import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parseWavHeader } from '../../src/ingest/audio-probe/wav-header.js';
import { callInput } from '../support/factories.js';
import { freshWav, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// What the words mean, over real HTTP (SQLite, in-process workers): a recording with its
// transcript goes through the pipeline; the call detail carries the text analysis (sentiment,
// emotion curve, topics, summary, PII spans); ?pii=masked masks the phone number said in the call
// everywhere it appears; /audio?redact=silence returns a copy with that stretch silenced.

const api = await startHttpServer();
after(() => api.close());

/** First channel of a 16-bit PCM WAV, and its sample rate. */
function firstChannel(bytes: Buffer): { rate: number; samples: number[] } {
  const info = parseWavHeader(bytes.subarray(0, 4096), bytes.length);
  assert.equal(info.codec, 'pcm_s16le');
  const frames = Math.floor(info.dataBytes / (2 * info.channels));
  const samples: number[] = [];
  for (let f = 0; f < frames; f++) samples.push(bytes.readInt16LE(info.dataOffset + f * info.channels * 2));
  return { rate: info.sampleRate, samples };
}

const seg = (speaker: 'agent' | 'customer', startMs: number, endMs: number, text: string) => ({ speaker, startMs, endMs, text });
const segments = [
  seg('agent', 0, 700, '您好，请问有什么可以帮您？'),
  seg('customer', 800, 1600, '我的快递等了三天还没到，我都打了五次电话了！'),
  seg('agent', 1700, 2400, '非常抱歉，麻烦提供一下您的手机号。'),
  seg('customer', 2500, 3300, '一三八一二三四五六七八'),
  seg('agent', 3400, 4000, '好的，已经帮您催促配送，明天会联系您。'),
];

interface Detail {
  transcript: { segments: Array<{ index: number; text: string }> };
  text: {
    segments: Array<{ index: number; sentiment: { score: number; label: string } }>;
    customerSentiment: { label: string } | null;
    curve: { points: unknown[]; lowest: { segmentIndex: number } | null };
    topics: Array<{ id: string; name: string }>;
    summary: { problem: { segmentIndex: number; text: string } | null; outcome: string };
    pii: Array<{ segmentIndex: number; type: string; start: number; end: number; startMs: number; endMs: number }>;
  } | null;
  call: { customerPhone: string | null };
}

describe('text analysis over HTTP', () => {
  let id = '';

  test('a call through the pipeline carries its text analysis', async () => {
    const up = await api.upload(freshWav({ seconds: 4 }), 'complaint.wav', { ...callInput({ customerPhone: '13812345678' }), segments });
    assert.equal(up.res.status, 201, JSON.stringify(up.body));
    id = up.body.call.id;
    const d = (await api.waitForCall(id)) as Detail;
    assert.ok(d.text, 'the enrich stage stored a text analysis');
    assert.equal(d.text.segments.length, 5);
    assert.equal(d.text.segments[1]!.sentiment.label, 'negative', '等了三天还没到 / 打了五次电话 is a complaint without an emotion word');
    assert.equal(d.text.customerSentiment?.label, 'negative');
    assert.equal(d.text.curve.points.length, 2, 'the curve is over the customer only');
    assert.ok(d.text.topics.some((t) => t.id === 'logistics-delay'), JSON.stringify(d.text.topics));
    assert.equal(d.text.summary.problem?.segmentIndex, 1);
    assert.equal(d.text.summary.outcome, 'follow_up');
    const phone = d.text.pii.find((p) => p.type === 'phone');
    assert.ok(phone, JSON.stringify(d.text.pii));
    assert.equal(phone.segmentIndex, 3);
    assert.ok(phone.startMs >= 2500 && phone.endMs <= 3300, 'located in the audio within its sentence');
  });

  test('?pii=masked masks the number in the transcript and the metadata, keeping lengths', async () => {
    const shown = (await api.get<Detail>(`/api/v1/calls/${id}`)).body;
    const { res, body } = await api.get<Detail>(`/api/v1/calls/${id}?pii=masked`);
    assert.equal(res.status, 200, JSON.stringify(body));
    const original = shown.transcript.segments[3]!.text;
    const masked = body.transcript.segments[3]!.text;
    assert.equal(masked.length, original.length);
    assert.doesNotMatch(masked, /[一二三四五六七八]{4}/);
    assert.match(masked, /＊{11}/);
    assert.equal(body.transcript.segments[1]!.text, shown.transcript.segments[1]!.text, 'sentences without PII stay as they are');
    assert.equal(body.call.customerPhone, '138****5678');
    const bad = await api.get<ErrorBody>(`/api/v1/calls/${id}?pii=hidden`);
    assert.equal(bad.res.status, 400);
  });

  test('/audio?redact=silence: a WAV copy silent over the number, the rest as it was', async () => {
    const original = firstChannel(Buffer.from(await (await api.fetch(`${api.base}/api/v1/calls/${id}/audio`)).arrayBuffer()));
    const res = await api.fetch(`${api.base}/api/v1/calls/${id}/audio?redact=silence`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(res.headers.get('x-tingjian-redacted-spans'), '1');
    const red = firstChannel(Buffer.from(await res.arrayBuffer()));
    assert.equal(red.rate, original.rate);
    assert.equal(red.samples.length, original.samples.length);
    const at = (ms: number) => Math.floor((ms / 1000) * red.rate);
    assert.ok(red.samples.slice(at(2700), at(3100)).every((x) => x === 0), 'silent inside the number');
    const before = red.samples.slice(at(200), at(1000));
    assert.ok(before.some((x) => x !== 0), 'the rest is not silenced');
    assert.deepEqual(before, original.samples.slice(at(200), at(1000)), 'and unchanged');
  });

  test('/audio?redact=…: ranges of the redacted copy are its bytes, so a player can seek in it; a range off the end is 416', async () => {
    const whole = Buffer.from(await (await api.fetch(`${api.base}/api/v1/calls/${id}/audio?redact=tone`)).arrayBuffer());
    const res = await api.fetch(`${api.base}/api/v1/calls/${id}/audio?redact=tone`, { headers: { range: 'bytes=1000-4999' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(res.headers.get('content-range'), `bytes 1000-4999/${whole.length}`);
    assert.equal(res.headers.get('x-tingjian-redacted-spans'), '1');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), whole.subarray(1000, 5000));
    const tail = await api.fetch(`${api.base}/api/v1/calls/${id}/audio?redact=tone`, { headers: { range: 'bytes=-100' } });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), whole.subarray(whole.length - 100));
    const off = await api.fetch(`${api.base}/api/v1/calls/${id}/audio?redact=tone`, { headers: { range: `bytes=${whole.length}-` } });
    assert.equal(off.status, 416);
    assert.equal(off.headers.get('content-range'), `bytes */${whole.length}`);
    await off.arrayBuffer();
    const silence = Buffer.from(await (await api.fetch(`${api.base}/api/v1/calls/${id}/audio?redact=silence`)).arrayBuffer());
    assert.equal(silence.length, whole.length);
    assert.notDeepEqual(silence, whole, 'tone and silence are different copies, not one cached for both');
  });
});

describe('topics over HTTP', () => {
  const groups = [
    ['我想开发票，发票抬头写公司', '电子发票在哪里下载发票', '发票抬头开错了能重开发票吗'],
    ['退款什么时候到账', '申请的退款还没到账', '退款到账要几天'],
    ['空调什么时候上门安装', '预约安装师傅什么时候来', '安装师傅没来安装空调'],
    ['登录密码忘记了怎么修改密码', '修改支付密码', '密码错误登录不了'],
    ['收货地址写错了想修改地址', '能帮我修改收货地址吗', '地址能改成公司地址吗'],
    ['买完降价了能退差价吗', '价保申请退差价', '降价了差价怎么退'],
  ];

  test('the taxonomy is listed', async () => {
    const { res, body } = await api.get<{ items: Array<{ id: string; name: string }> }>('/api/v1/topics');
    assert.equal(res.status, 200);
    assert.ok(body.items.some((t) => t.id === 'logistics-delay' && t.name === '物流延迟'), JSON.stringify(body.items));
  });

  test('discovery clusters what customers said, labels clusters with keywords, counts them per day, deterministic', async () => {
    let day = 0;
    for (const g of groups) {
      for (const text of g) {
        const startedAt = `2025-09-${String(10 + (day++ % 3)).padStart(2, '0')}T10:00:00+08:00`;
        const up = await api.postJson({ externalId: `topic-${day}`, channel: 'chat', startedAt, segments: [seg('agent', 0, 1000, '您好，请问有什么可以帮您？'), seg('customer', 1200, 3000, text)] });
        assert.equal(up.res.status, 201, JSON.stringify(up.body));
        await api.waitForCall(up.body.call.id);
      }
    }
    const q = '/api/v1/topics/discover?from=2025-09-10&to=2025-09-13&period=day&k=6';
    const { res, body } = await api.get<{ calls: number; topics: Array<{ keywords: string[]; size: number; taxonomyTopic: string | null; emerging: boolean; counts: Array<{ period: string; calls: number }> }> }>(q);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.calls, 18, 'only the calls in the time range');
    assert.ok(body.topics.length >= 4, JSON.stringify(body.topics.map((t) => t.keywords)));
    const invoice = body.topics.find((t) => t.keywords.includes('发票'));
    assert.ok(invoice, JSON.stringify(body.topics.map((t) => t.keywords)));
    assert.equal(invoice.taxonomyTopic, 'invoice');
    assert.equal(invoice.size, 3);
    assert.ok(invoice.counts.every((c) => /^2025-09-1[0-2]$/.test(c.period)), JSON.stringify(invoice.counts));
    assert.deepEqual((await api.get(q)).body, body, 'the same calls give the same clusters');
    const bad = await api.get<ErrorBody>('/api/v1/topics/discover?period=month');
    assert.equal(bad.res.status, 400);
  });
});
