import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptSegment } from '../../domain/transcript.js';
import { compileDictionary, type MatchCounters } from './compile-dictionary.js';
import type { CorrectionDictionary } from './correction-dictionary.schema.js';
import { correctSegments, correctText } from './correct-text.js';

/** The business terms of samples/correction-dictionary.json, inline so this test stands alone. */
const starter: CorrectionDictionary = {
  terms: [
    { term: '圆通快递', aliases: ['圆桶快递'] },
    { term: '中通快递' },
    { term: '申通快递' },
    { term: '韵达快递' },
    { term: '顺丰速运' },
    { term: '京东物流' },
    { term: '菜鸟驿站' },
    { term: '丰巢快递柜' },
    { term: '自提点' },
    { term: '七天无理由退货' },
    { term: '价格保护' },
    { term: '运费险' },
    { term: '豆沙色' },
    { term: '余额宝' },
    { term: '花呗', aliases: ['花被'] },
    { term: '借呗' },
    { term: '白条' },
    { term: '征信' },
    { term: '工号', aliases: ['公号'] },
  ],
};
const dict = compileDictionary(starter);
const fix = (text: string, d = dict) => correctText(text, d).text;

test('圆桶快递 → 圆通快递, as an alias and by pinyin alone', () => {
  assert.deepEqual(correctText('我的圆桶快递到了吗', dict), {
    text: '我的圆通快递到了吗',
    corrections: [{ from: '圆桶快递', to: '圆通快递', index: 2, similarity: 1, by: 'alias' }],
  });
  const noAlias = compileDictionary({ terms: [{ term: '圆通快递' }] });
  assert.deepEqual(correctText('我的圆桶快递到了吗', noAlias).corrections, [{ from: '圆桶快递', to: '圆通快递', index: 2, similarity: 1, by: 'pinyin' }]);
  assert.equal(fix('元东快递还没到'), '圆通快递还没到', 'yuan dong for yuan tong: one letter off in a four-character term');
});

test('豆沙塞 → 豆沙色 (sai vs the colloquial reading shai of 色)', () => {
  assert.deepEqual(correctText('这个豆沙塞的口红还有吗', dict).corrections, [{ from: '豆沙塞', to: '豆沙色', index: 2, similarity: 0.967, by: 'pinyin' }]);
});

test('more mishearings of the starter terms', () => {
  assert.equal(fix('顺风速运什么时候到'), '顺丰速运什么时候到');
  assert.equal(fix('申通快地显示签收了'), '申通快递显示签收了');
  assert.equal(fix('支持七天无理由推货吗'), '支持七天无理由退货吗');
  assert.equal(fix('我想申请价格保户'), '我想申请价格保护');
  assert.equal(fix('花被可以分期吗'), '花呗可以分期吗');
  assert.equal(fix('放在丰巢快地柜了'), '放在丰巢快递柜了');
});

test('京东 stays 京东; 京东物流 stays 京东物流', () => {
  for (const s of ['我在京东买的', '京东快递什么时候到', '京东物流显示已经出库了', '是由京东发货哦', '京东京东京东']) assert.equal(fix(s), s);
  assert.equal(fix('京冬物流显示已经出库了'), '京东物流显示已经出库了');
});

test('no change to ordinary customer-service sentences (JDDC), near misses included', () => {
  // From the JDDC customer-service corpus (CSDS test set), plus constructed near misses.
  const sentences = [
    '客服让用户提供号码，交给专员回电解决。', // 提供号码 holds 供号 (gong hao, as 工号)
    '客服表示订单是在配送环节被申请退款的，已被系统自动拦截。', // 节被 (jie bei, as 借呗)
    '用户询问换绑是否需要验证信息。', // 证信 (zheng xin, as 征信)
    '以前的手机号码销号了，密码也忘了。',
    '我有个快递，我看转京东配送了。',
    '只能看到是我们的北京常乐站给配送的。',
    '请问本地仓库位置在哪?着急用，自提可以吗?',
    '这个是可以到站点自提的恩。',
    '我昨天忘了用优惠券了，今天还能补上吗?',
    '质量问题导致的，运费由京东承担哦',
    '用户询问订单价格保护是不是已经申请成功',
    '苹果白跟珍珠白区别在哪',
    '不是白条，是我的信用卡',
    '企业的话价格有优惠吗',
    '麻烦提供手机号码协助处理',
    '拿快递的时候那个快递单能看到买的是什么吗。',
    '价格包括运费吗', // jia ge bao kuo: 0.75 from 价格保护
    '我买了一百条毛巾，用华北的地址收货',
    '丰巢快递员说放到柜子里了', // one syllable wholly different from 丰巢快递柜 (0.8): never enough
    '不支持七天无理由退款吗', // 退款 for 退货 in 七天无理由退货 (0.86)
  ];
  for (const s of sentences) assert.deepEqual(correctText(s, dict).corrections, [], s);
});

test('two-character terms: aliases only, unless minSimilarity is set; keep words protect homophones', () => {
  assert.equal(fix('我的公号是三七'), '我的工号是三七', 'alias');
  assert.equal(fix('我的供号是三七'), '我的供号是三七', 'no pinyin matching by default');
  const optIn = compileDictionary({ terms: [{ term: '白条', minSimilarity: 1, keep: ['百条'] }] });
  assert.equal(fix('可以用摆条付款吗', optIn), '可以用白条付款吗');
  assert.equal(fix('我买了一百条毛巾', optIn), '我买了一百条毛巾', 'keep word');
  assert.equal(fix('明白条件了', optIn), '明白条件了', 'already the term');
});

test('never replaces inside or across an already-correct term', () => {
  const d = compileDictionary({ terms: [{ term: '七天无理由退货' }, { term: '礼又推' }] });
  assert.equal(fix('支持七天无理由退货吗', d), '支持七天无理由退货吗', '理由退 sounds like 礼又推 but is inside a correct term');
  assert.equal(fix('我说的理由推不掉', d), '我说的礼又推不掉', 'elsewhere it is replaced');
  assert.equal(fix('中通快递员'), '中通快递员');
});

test('leftmost, then longest, never overlapping; ties go to the term listed first', () => {
  const d = compileDictionary({ terms: [{ term: '中通快递' }, { term: '快递员工' }] });
  assert.equal(fix('钟通快弟员工', d), '中通快递员工', 'the leftmost match wins the overlap');
  const longer = compileDictionary({ terms: [{ term: '京东物流' }, { term: '京东物流园区' }] });
  assert.deepEqual(correctText('京冬物流园区', longer).corrections.map((c) => c.to), ['京东物流园区']);
  const a = compileDictionary({ terms: [{ term: '元通快递' }, { term: '圆通快递' }] });
  const b = compileDictionary({ terms: [{ term: '圆通快递' }, { term: '元通快递' }] });
  assert.equal(fix('原通快递', a), '元通快递');
  assert.equal(fix('原通快递', b), '圆通快递');
  assert.deepEqual(correctText('圆桶快递和顺风速运', dict), correctText('圆桶快递和顺风速运', dict), 'deterministic');
  assert.deepEqual(
    correctText('圆桶快递和顺风速运都到了', dict).corrections.map((c) => [c.from, c.index]),
    [
      ['圆桶快递', 0],
      ['顺风速运', 5],
    ],
  );
});

test('windows stay inside runs of Chinese characters; full-width and traditional text', () => {
  assert.equal(fix('圆桶，快递'), '圆桶，快递', 'punctuation ends a run');
  assert.deepEqual(correctText('ＶＩＰ元东快递１２３号', dict), {
    text: 'ＶＩＰ圆通快递１２３号',
    corrections: [{ from: '元东快递', to: '圆通快递', index: 3, similarity: 0.875, by: 'pinyin' }],
  });
  assert.equal(fix('𠮷元东快递'), '𠮷圆通快递', 'a character outside the BMP before the match');
  assert.equal(correctText('𠮷元东快递', dict).corrections[0]?.index, 2, 'index is a JavaScript string index');
  // Traditional text is left alone unless it sounds like a term; then it takes the dictionary's spelling.
  assert.equal(fix('請問我的訂單什麼時候到貨'), '請問我的訂單什麼時候到貨');
  assert.equal(fix('圓通快遞到了嗎'), '圆通快递到了嗎');
  // A Kangxi radical (⽆ U+2F46) that PDF/OCR pipelines leave behind for 无: the term's own spelling wins.
  assert.equal(fix('商品支持七天⽆理由退货'), '商品支持七天无理由退货');
});

test('nothing to do: empty text, empty dictionary, text without Chinese', () => {
  assert.deepEqual(correctText('', dict), { text: '', corrections: [] });
  assert.deepEqual(correctText('圆桶快递', compileDictionary({ terms: [] })), { text: '圆桶快递', corrections: [] });
  assert.equal(fix('OK, tracking number 12345'), 'OK, tracking number 12345');
  assert.equal(correctText('圆桶快递', starter).text, '圆通快递', 'a plain document is compiled on the fly');
});

test('correctSegments sets rawText only where the text changed', () => {
  const segs: TranscriptSegment[] = [
    { index: 0, speaker: 'agent', startMs: 0, endMs: 1000, text: '您好，请问有什么可以帮您' },
    { index: 1, speaker: 'customer', startMs: 1000, endMs: 3000, text: '我的圆桶快递到哪了', confidence: 0.8 },
    { index: 2, speaker: 'customer', startMs: 3000, endMs: 4000, text: '顺丰速运到了', rawText: '顺风速运到了' },
  ];
  const out = correctSegments(segs, dict);
  assert.equal(out[0], segs[0], 'unchanged segments are passed through as they are');
  assert.deepEqual(out[1], { index: 1, speaker: 'customer', startMs: 1000, endMs: 3000, text: '我的圆通快递到哪了', rawText: '我的圆桶快递到哪了', confidence: 0.8 });
  assert.equal(out[2], segs[2]);
  const again = correctSegments([{ ...segs[1]!, text: '元东快递', rawText: '元冬快递' }], dict);
  assert.equal(again[0]?.rawText, '元冬快递', 'a segment corrected before keeps what the engine first heard');
  assert.equal(segs[1]?.text, '我的圆桶快递到哪了', 'the input is not modified');
});

/** A deterministic pseudo-random 200-term dictionary: 3–6 characters from a pool of common ones. */
function bigDictionary(): CorrectionDictionary {
  const pool = '安邦保诚达丰富贵和华嘉建金京凯康乐利隆美明诺平普启庆荣瑞盛顺泰天通万祥信兴旭阳业亿永优宇元源远悦云泽正志中众卓佳汇聚博创';
  const terms = starter.terms.slice();
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % pool.length;
  while (terms.length < 200) {
    const len = 3 + (terms.length % 4);
    const term = Array.from({ length: len }, () => pool[next()]).join('');
    if (!terms.some((t) => t.term === term)) terms.push({ term });
  }
  return { terms };
}

test('work grows with the text, not with text × dictionary (operation counts, not time)', () => {
  const big = compileDictionary(bigDictionary());
  const sentences = ['您好很高兴为您服务请问有什么可以帮您', '我买的面膜过敏了想退货', '非常抱歉给您带来不便我马上为您处理退货', '我的圆桶快递到了吗', '这个豆沙塞的口红还有吗', '麻烦提供手机号码协助处理'];
  let text = '';
  for (let i = 0; text.length < 1500; i++) text += sentences[i % sentences.length];
  const counters: MatchCounters = { hanChars: 0, windowsScored: 0, syllableComparisons: 0 };
  const r = correctText(text, big, counters);
  assert.equal(counters.hanChars, text.length);
  assert.ok(r.corrections.some((c) => c.to === '圆通快递') && r.corrections.some((c) => c.to === '豆沙色'));
  // Comparing every window with every term would score Σ (n − len + 1) ≈ 200 × 1,500 windows.
  const everyWindow = big.terms.reduce((sum, t) => sum + (t.pinyin ? counters.hanChars - t.length + 1 : 0), 0);
  assert.ok(everyWindow > 250_000);
  // These terms share a pool of 60 characters, so many of them are near the text; still, only a
  // few windows per character are scored (about 8,000 here).
  assert.ok(counters.windowsScored * 20 < everyWindow, `${counters.windowsScored} windows scored of ${everyWindow}`);
  assert.ok(counters.syllableComparisons < 20 * counters.hanChars, `${counters.syllableComparisons} syllable comparisons for ${counters.hanChars} characters`);
});
