import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Speaker } from '../../domain/transcript.js';
import { summarizeCall } from './summarize-call.js';

const call = (...turns: Array<[Speaker, string]>) => turns.map(([speaker, text], index) => ({ index, speaker, text }));

test('resolved: the problem after the greetings, the actions, the agent saying it is done', () => {
  const s = summarizeCall(
    call(
      ['agent', '您好，很高兴为您服务'],
      ['customer', '喂，你好。嗯，我买的耳机少发了一个耳塞'],
      ['agent', '非常抱歉，我帮您查询一下。已经为您登记补发，今天就会发出'],
      ['customer', '好的'],
      ['agent', '已经为您处理好了，补发单号短信发您'],
      ['customer', '好的谢谢'],
    ),
  );
  assert.deepEqual(s.problem, { segmentIndex: 1, text: '我买的耳机少发了一个耳塞' });
  assert.deepEqual(
    s.actions.map((a) => a.text),
    ['非常抱歉，我帮您查询一下。', '已经为您登记补发，今天就会发出', '已经为您处理好了，补发单号短信发您'],
  );
  assert.equal(s.outcome, 'resolved');
  assert.deepEqual(s.outcomeEvidence, { segmentIndex: 4, text: '已经为您处理好了，补发单号短信发您' });
});

test('resolved: the customer thanks after the agent acted', () => {
  const s = summarizeCall(call(['customer', '在吗'], ['customer', '我想把发票抬头改成公司'], ['agent', '好的，这边帮您修改'], ['customer', '好的，谢谢啦']));
  assert.equal(s.problem?.text, '我想把发票抬头改成公司');
  assert.equal(s.outcome, 'resolved');
  assert.equal(s.outcomeEvidence?.text, '好的，谢谢啦');
});

test('follow_up: a callback promise, a deadline, a specialist', () => {
  const s = summarizeCall(
    call(
      ['customer', '你好，我的退款怎么还没到账'],
      ['agent', '我这边已经帮您反馈给专员了'],
      ['agent', '专员会在二十四小时内联系您，请保持电话畅通'],
      ['customer', '好的谢谢'],
    ),
  );
  assert.equal(s.problem?.text, '我的退款怎么还没到账', 'without the greeting');
  assert.equal(s.outcome, 'follow_up');
  assert.equal(s.outcomeEvidence?.segmentIndex, 2, 'thanks after a promise do not close the call');
  const days = summarizeCall(call(['customer', '发票开错了要重开'], ['agent', '已为您提交重开申请，三个工作日内开具']));
  assert.equal(days.outcome, 'follow_up', '3个工作日 read from 三个工作日; a promise outranks the step done in the same sentence');
});

test('unresolved: the customer gives up or complains, the agent cannot, or nothing is said', () => {
  const complaint = summarizeCall(
    call(['customer', '快递一个星期了还没到'], ['agent', '已经为您催促站点了'], ['customer', '每次都这样，我要投诉你们']),
  );
  assert.equal(complaint.outcome, 'unresolved');
  assert.equal(complaint.outcomeEvidence?.text, '每次都这样，我要投诉你们');
  assert.deepEqual(complaint.actions.map((a) => a.text), ['已经为您催促站点了']);

  const refused = summarizeCall(call(['customer', '地址能改一下吗'], ['agent', '抱歉，订单已出库，无法为您修改地址']));
  assert.equal(refused.outcome, 'unresolved');
  assert.deepEqual(refused.actions, [], 'a refusal is no action');
  assert.equal(refused.outcomeEvidence?.segmentIndex, 1);

  const giveUp = summarizeCall(call(['customer', '这个能便宜点吗'], ['agent', '价格是系统定的哦'], ['customer', '算了']));
  assert.equal(giveUp.outcome, 'unresolved');
  assert.equal(giveUp.outcomeEvidence?.text, '算了');

  const silent = summarizeCall(call(['customer', '你好'], ['agent', '您好']));
  assert.deepEqual(silent, { problem: null, actions: [], outcome: 'unresolved', outcomeEvidence: null });
});

test('offers are not actions; at most three actions, changes before look-ups; traditional text', () => {
  const s = summarizeCall(
    call(
      ['customer', '我要退貨'],
      ['agent', '需要幫您申請退貨嗎？'],
      ['customer', '要'],
      ['agent', '我帮您查询一下'],
      ['agent', '已为您申请退货'],
      ['agent', '已为您安排上门取件'],
      ['agent', '已为您备注加急'],
      ['agent', '帮您核实一下物流'],
    ),
  );
  assert.deepEqual(
    s.actions.map((a) => a.segmentIndex),
    [4, 5, 6],
  );
  assert.equal(s.problem?.text, '我要退貨');
});
