import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lengthAdjusted, scoreLexiconOnly, scoreSentiment } from './score-sentiment.js';

const labelOf = (text: string) => scoreSentiment(text).label;

test('complaints without an emotion word are negative', () => {
  for (const text of ['我都打了五次电话了', '等了三天还没到', '到底有没有人管', '说好的今天到呢', '一直没人处理']) {
    assert.equal(labelOf(text), 'negative', text);
  }
});

test('thanks and relief are positive', () => {
  for (const text of ['非常感谢你们', '太好了问题解决了']) assert.equal(labelOf(text), 'positive', text);
});

test('plain factual utterances and acknowledgements are neutral', () => {
  for (const text of ['嗯好的', '请问运费多少', '好的我查一下', '我的订单号是123', '我的手机号是一三八零零一三八零零零', '我想问一下什么时候发货']) {
    assert.equal(labelOf(text), 'neutral', text);
  }
});

test('sarcasm reads as the complaint it is', () => {
  for (const text of ['真有你们的', '你们可真行啊']) assert.equal(labelOf(text), 'negative', text);
});

test('negation: 不满意 is negative, 不错 positive, 没问题 not negative', () => {
  assert.equal(labelOf('不满意'), 'negative');
  assert.equal(labelOf('不是很满意'), 'negative');
  assert.equal(labelOf('不错'), 'positive');
  assert.notEqual(labelOf('没问题'), 'negative');
  assert.notEqual(labelOf('没什么问题'), 'negative');
  // Double negation (documented in docs/sentiment.md): 不是不满意 leans positive, weakly.
  const doubled = scoreSentiment('不是不满意');
  assert.ok(doubled.score > 0 && doubled.score < scoreSentiment('很满意').score, String(doubled.score));
});

test('degree adverbs scale the score', () => {
  const s = (t: string) => scoreSentiment(t).score;
  assert.ok(s('非常满意') > s('满意'), '非常满意 > 满意');
  assert.ok(s('满意') > s('有点满意'), '满意 > 有点满意');
  assert.ok(s('非常失望') < s('失望'), '非常失望 < 失望');
});

test('the score is in -1..1 and the label agrees with its sign', () => {
  for (const text of ['', '嗯', '太棒了太棒了太棒了太棒了！！！', '垃圾垃圾垃圾，投诉，差评，骗子', '，。！？']) {
    const { score, label } = scoreSentiment(text);
    assert.ok(score >= -1 && score <= 1, `${text}: ${score}`);
    if (label === 'positive') assert.ok(score > 0);
    if (label === 'negative') assert.ok(score < 0);
  }
  assert.deepEqual(scoreSentiment(''), { score: 0, label: 'neutral' });
});

test('deterministic: the same text gives the same result, whatever came before', () => {
  const texts = ['我都打了五次电话了', '非常感谢你们', '请问运费多少', '东西不错，但是物流太慢了'];
  const first = texts.map(scoreSentiment);
  for (const t of ['垃圾', '很好', '说好的今天到呢']) scoreSentiment(t);
  assert.deepEqual(texts.map(scoreSentiment), first);
});

test('traditional characters and full-width text are read like simplified', () => {
  assert.equal(labelOf('非常感謝你們'), 'positive');
  assert.equal(labelOf('到底有沒有人管'), 'negative');
  assert.equal(scoreSentiment('我的订单号是１２３').label, 'neutral');
});

test('the lexicon-only baseline reads the lexicon the same way', () => {
  assert.equal(scoreLexiconOnly('一直没人处理').label, 'negative');
  assert.equal(scoreLexiconOnly('非常感谢你们').label, 'positive');
  assert.equal(scoreLexiconOnly('请问运费多少').label, 'neutral');
});

test('a long neutral sentence stays neutral: the classifier margin is damped for length', () => {
  const confirmation = '好的先生，我这边跟您核对一下信息，您的收货地址是北京市朝阳区某某小区，收货人是张先生，手机尾号是五六七八，预计明天下午送达，请您保持电话畅通，快递员会提前联系您的。';
  assert.equal(scoreSentiment(confirmation).label, 'neutral');
  assert.equal(lengthAdjusted(3, 1, 10), 3, 'short texts unchanged');
  assert.ok(lengthAdjusted(-6, 0, 400) > -6 * 0.6 && lengthAdjusted(-6, 0, 400) < 0, 'long texts damped, sign kept');
});
