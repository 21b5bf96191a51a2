import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPii, findPiiInText } from './find-pii.js';

/** [type, the original chars the offsets point at] */
const found = (text: string) => findPiiInText(text).map((m) => [m.type, text.slice(m.start, m.end)]);
const assertNone = (texts: string[]) => {
  for (const text of texts) assert.deepEqual(found(text), [], text);
};

/** GB 11643: 17 digits + the ISO 7064 MOD 11-2 check char, computed here as the standard says. */
function idCard(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
const ID = idCard('11010519900307123');
const spoken = (digits: string) => [...digits].map((d) => (d === 'X' ? 'X' : '零一二三四五六七八九'[Number(d)])).join('');
/** Passes Luhn (the usual test Visa number); the same with the last digit changed does not. */
const CARD = '4111111111111111';
const NOT_A_CARD = '4111111111111112';

test('phone numbers read as Chinese digits, with the spaces and commas ASR leaves', () => {
  for (const said of ['幺三八一二三四五六七八', '幺三八 一二三四 五六七八', '幺三八，一二三四，五六七八', '一三八、一二三四、五六七八', '138-1234-5678', '１３８１２３４５６７８']) {
    assert.deepEqual(found(`我的手机号是${said}，谢谢`), [['phone', said]], said);
  }
  assert.deepEqual(found('座机010-62345678'), [['phone', '010-62345678']]);
});

test('bank cards: a Luhn-valid number is one, a Luhn-invalid 16–19 digit number is not', () => {
  assert.deepEqual(found(`卡号是${CARD}`), [['bankCard', CARD]]);
  assert.deepEqual(found('卡号6222 0212 3456 7890 128'), [['bankCard', '6222 0212 3456 7890 128']]);
  assert.deepEqual(found(`卡号是${NOT_A_CARD}`), []);
  assert.deepEqual(found('卡号6222021234567890129'), []);
});

test('id cards: a valid check char is one (written or read aloud), a wrong one is not', () => {
  assert.deepEqual(found(`身份证号${ID}`), [['idCard', ID]]);
  assert.deepEqual(found(`身份证号是${spoken(ID)}`), [['idCard', spoken(ID)]]);
  const wrong = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
  assert.deepEqual(found(`身份证号${wrong}`), []);
});

test('e-mail: ASCII, full-width, read aloud', () => {
  const cases: [string, string][] = [
    ['邮箱是zhang.san@example.com，您记一下', 'zhang.san@example.com'],
    ['发到ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ就行', 'ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ'],
    ['邮箱幺二三四五六七八九艾特qq点com', '幺二三四五六七八九艾特qq点com'],
    ['是abc at 163 dot com', 'abc at 163 dot com'],
    ['wang_li圈a sina点com点cn', 'wang_li圈a sina点com点cn'],
    ['13812345678@qq.com', '13812345678@qq.com'], // the e-mail, not the phone inside it
  ];
  for (const [text, email] of cases) assert.deepEqual(found(text), [['email', email]], text);
  assertNone(['我at你了', '三点com', 'www.taobao.com', '我们艾特一下同事']);
});

test('addresses: a chain of parts down to a street, an estate or a number', () => {
  const cases: [string, string][] = [
    ['收货地址是北京市朝阳区建国路88号', '北京市朝阳区建国路88号'],
    ['寄到浙江省杭州市西湖区文三路478号华星时代广场A座', '浙江省杭州市西湖区文三路478号华星时代广场A座'],
    ['我住阳光小区5栋2单元501', '阳光小区5栋2单元501'],
    ['我家住在朝阳区建国路八十八号院三号楼', '朝阳区建国路八十八号院三号楼'],
    ['海淀区中关村大街', '海淀区中关村大街'],
    ['老家是张家村3组的', '张家村3组'],
    ['送到中山路3号', '中山路3号'],
  ];
  for (const [text, address] of cases) assert.deepEqual(found(text), [['address', address]], text);
});

test('not addresses: a city or district alone, a street or estate alone, words about an address, dates and metro lines', () => {
  assertNone([
    '我在北京上班',
    '我在北京市上班',
    '我是北京市海淀区的',
    '您好，这边是北京市朝阳区分公司',
    '我在中山路上班',
    '阳光小区',
    '您的物流地址已更新',
    '请核对一下收货地址',
    '物流地址',
    '3月5号到货',
    '地铁10号线中关村站',
    '我家小区门口',
    '超市3楼',
    '一路顺风',
    '这个区别不大',
    '您这个是三楼的还是四楼的',
  ]);
});

test('ordinary sentences with numbers, and masked numbers, are no personal data', () => {
  assertNone([
    '订单号是1234567890123',
    '订单号JD0012345678901请查收',
    `订单号6222021234567890128`, // Luhn-valid, but an order number
    '金额299元',
    '退款三千五百元，预计三到五个工作日',
    '2024年3月5日下的单',
    '在二零二四年三月五号',
    '一共2件商品，3号发货',
    '我的工号是10086',
    '客服热线400-820-8820',
    '好的，我给您登记一下，一二三四五六七八九零',
    '手机138****5678',
    '6222 **** **** 1234',
    '您手机尾号1234对吧',
    '后四位是五六七八',
  ]);
});

test('traditional characters', () => {
  assert.deepEqual(found('我的電話是幺三八一二三四五六七八'), [['phone', '幺三八一二三四五六七八']]);
  assert.deepEqual(found('電話一三八兩兩三四五六七八'), [['phone', '一三八兩兩三四五六七八']], '兩 is 2');
  assert.deepEqual(found('地址是台北市大安區忠孝東路四段1號'), [['address', '台北市大安區忠孝東路四段1號']]);
  assert.deepEqual(found('訂單號是1234567890123'), []);
});

test('several kinds in one sentence, sorted, never overlapping', () => {
  const text = `电话13812345678，邮箱a@b.cn，寄到建国路88号，卡号${CARD}`;
  assert.deepEqual(found(text), [
    ['phone', '13812345678'],
    ['email', 'a@b.cn'],
    ['address', '建国路88号'],
    ['bankCard', CARD],
  ]);
});

test('findPii: per segment, its index, times spread linearly over the segment', () => {
  const text = '您好，我的手机号是13812345678。'; // 21 chars, the number at 9..20
  const spans = findPii([
    { index: 3, startMs: 1_000, endMs: 3_100, text: '请问怎么称呼' },
    { index: 4, startMs: 10_000, endMs: 12_100, text },
  ]);
  assert.deepEqual(spans, [{ segmentIndex: 4, type: 'phone', start: 9, end: 20, startMs: 10_900, endMs: 12_000 }]);
});

test('findPii: word times, when there are any, give the span its time', () => {
  const text = '号码13812345678';
  const words = [
    { start: 0, end: 2, startMs: 0, endMs: 400 },
    { start: 2, end: 5, startMs: 500, endMs: 1_500 },
    { start: 5, end: 13, startMs: 1_600, endMs: 4_000 },
  ];
  const [span] = findPii([{ index: 0, startMs: 0, endMs: 4_000, text, words }]);
  assert.deepEqual([span!.startMs, span!.endMs], [500, 4_000]);
});

test('offsets are UTF-16 offsets into the text, whatever came before', () => {
  const text = '😀😀电话幺三八，一二三四，五六七八';
  const [m] = findPiiInText(text);
  assert.equal(text.slice(m!.start, m!.end), '幺三八，一二三四，五六七八');
});
