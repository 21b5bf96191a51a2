import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedCall } from '../../test/support/factories.js';
import { analyzeText } from '../enrich/analyze-text.js';
import { Segmenter } from '../enrich/text/segmenter.js';
import { loadDefaultTaxonomy } from '../enrich/topics/parse-taxonomy.js';
import { dialogue, inspect, oneRule } from '../inspect/judge/judge-test-kit.js';
import type { CallDetail } from './call-query-service.js';
import { maskPhone, redactCallDetail } from './redact-call-detail.js';

const PHONE = '13812345678';
const ADDRESS = '北京市朝阳区建国路88号';

function detail(lines: string[], rules: string): CallDetail {
  const segments = dialogue(lines);
  return {
    call: storedCall({ customerPhone: PHONE, externalId: PHONE, customerTags: ['VIP', `回拨${PHONE}`], extra: { callerNumber: PHONE, addr: ADDRESS } }),
    recording: null,
    transcript: { callId: 'c', engine: 'provided', language: 'zh-CN', segments },
    signals: null,
    text: analyzeText(segments, { taxonomy: loadDefaultTaxonomy(), segmenter: new Segmenter() }),
    inspection: inspect(rules, segments),
  };
}

/** Everything in the document a person would read, as one string. */
const everything = (d: CallDetail) => JSON.stringify(d);

test('the masked view leaks no number or address: transcript, metadata, evidence labels, summary', () => {
  // Regex rules whose evidence labels quote a fragment the detector would not recognise on its own.
  const rules = [
    'module: t',
    'name: 测试',
    'rules:',
    "  - {id: head, name: 号码, when: {regex: '号是\\d{7}'}}",
    "  - {id: tail, name: 尾号, when: {regex: '\\d{4}$'}}",
    "  - {id: ship, name: 地址, when: {regex: '寄到.{0,8}'}}",
    '',
  ].join('\n');
  const d = detail([`C: 喂，你好。我的快递三天了还没到。我手机号是${PHONE}`, `C: 寄到${ADDRESS}`, 'A: 好的，已经为您登记'], rules);
  const shown = everything(d);
  assert.ok(shown.includes('1381234') && shown.includes('建国路'), 'the unmasked view has them');
  const masked = redactCallDetail(d);
  // (the customer phone keeps 138****5678 by design; everything else must not show a digit of it)
  // Times are epoch ms from the clock: 1795678453036 holds "5678" without leaking anything.
  const text = everything({ ...masked, call: { ...masked.call, customerPhone: null, startedAt: 0, createdAt: 0, updatedAt: 0 } });
  for (const leak of ['1381234', '5678', '建国路', '朝阳区建国']) assert.ok(!text.includes(leak), `${leak} leaks: ${text}`);
  assert.equal(masked.call.customerPhone, '138****5678');
  assert.equal(masked.transcript!.segments[0]!.text.length, d.transcript!.segments[0]!.text.length, 'lengths kept');
  const labels = masked.inspection!.results.flatMap((r) => r.evidence.map((e) => e.label ?? ''));
  assert.ok(labels.some((l) => l.includes('＊') || l.includes('*')), JSON.stringify(labels));
});

test('summary sentences stay the sentence, masked, not the whole segment', () => {
  const d = detail([`C: 喂，你好。我的快递三天了还没到。我手机号${PHONE}。`, 'A: 好的，已经为您催促配送，明天会联系您'], oneRule('keywords: [快递]'));
  const problem = d.text!.summary.problem!;
  const masked = redactCallDetail(d).text!.summary.problem!;
  assert.equal(masked.text, problem.text, 'a sentence without PII is unchanged');
  assert.ok(!masked.text.includes('喂'), 'not the whole segment');
});

test('maskPhone: head and tail of a mobile number, only the last two digits of a short one', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('6234567'), '*****67');
  assert.equal(maskPhone('62345678'), '******78');
  assert.equal(maskPhone(null), null);
});
