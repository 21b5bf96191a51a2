import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findEntities, type EntityType } from './find-entities.js';

const ID_TYPES = new Set<EntityType>(['phone', 'idCard', 'bankCard']);
/** [type, the original chars the offsets point at, value, masked] */
const found = (text: string, types: ReadonlySet<EntityType> = ID_TYPES) =>
  findEntities(text, types).map((m) => [m.type, text.slice(m.start, m.end), m.value, m.masked]);

/** GB 11643-1999 check char, computed here independently of the code under test. */
function withIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}
/** The Luhn check digit appended. */
function withLuhn(body: string): string {
  const sum = [...body].reverse().reduce((s, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    return s + (d > 9 ? d - 9 : d);
  }, 0);
  return body + ((10 - (sum % 10)) % 10);
}
/** The first id card number born 1990-03-07 (sequence 000–999) that `ok` accepts. */
function idWhere(ok: (id: string) => boolean): string {
  for (let seq = 0; seq < 1000; seq++) {
    const id = withIdCheck(`44030119900307${String(seq).padStart(3, '0')}`);
    if (ok(id)) return id;
  }
  throw new Error('no such id card number');
}
const otherDigit = (d: string) => String((Number(d) + 1) % 10);

const ID = withIdCheck('11010519491231002'); // 11010519491231002X
const CARD = withLuhn('622202123456789012'); // 19 digits

test('mobile phones: ASCII, Chinese readings, full-width, separators; offsets in the original', () => {
  assert.deepEqual(found('我的电话是13812345678'), [['phone', '13812345678', '13812345678', false]]);
  assert.deepEqual(found('幺三八一二三四五六七八'), [['phone', '幺三八一二三四五六七八', '13812345678', false]]);
  assert.deepEqual(found('号码一三八 零零一三 八八八八，记一下'), [['phone', '一三八 零零一三 八八八八', '13800138888', false]]);
  assert.deepEqual(found('１３８１２３４５６７８'), [['phone', '１３８１２３４５６７８', '13812345678', false]]);
  assert.deepEqual(found('打138-1234-5678找我'), [['phone', '138-1234-5678', '13812345678', false]]);
  assert.deepEqual(found('+86 138 1234 5678'), [['phone', '138 1234 5678', '13812345678', false]]);
  const [m] = findEntities('您好，请拨打 139 0000 1111 谢谢', ID_TYPES);
  assert.deepEqual([m!.start, m!.end], [7, 20]);
  assert.deepEqual(found('电话13812345678 13912345678'), [
    ['phone', '13812345678', '13812345678', false],
    ['phone', '13912345678', '13912345678', false],
  ]);
});

test('phones: not inside a longer run, not glued to letters, not 12 digits', () => {
  assert.deepEqual(found('138123456789'), []);
  assert.deepEqual(found('12812345678'), [], '12 is no mobile prefix');
  assert.deepEqual(found('ABC13812345678'), []);
  assert.deepEqual(found('一三八一二三四五六七八九'), [], '12 digits read out');
});

test('landlines: area code written apart or not', () => {
  assert.deepEqual(found('座机010-62345678'), [['phone', '010-62345678', '01062345678', false]]);
  assert.deepEqual(found('0755 8888 6666'), [['phone', '0755 8888 6666', '075588886666', false]]);
  assert.deepEqual(found('02888886666'), [['phone', '02888886666', '02888886666', false]]);
  assert.deepEqual(found('075501234567'), [], 'a local number does not start with 0');
});

test('id cards: GB 11643 check char and birth date; an X (x, Ｘ) check char; 15-digit old cards', () => {
  assert.deepEqual(found(`身份证号${ID}`), [['idCard', ID, ID, false]]);
  assert.deepEqual(found(`身份证号${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`), [['idCard', `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`, ID, false]]);
  const withX = idWhere((id) => id.endsWith('X'));
  const lower = withX.slice(0, 17) + 'x';
  assert.deepEqual(found(`证件号${lower}。`), [['idCard', lower, withX, false]]);
  assert.deepEqual(found(`${withX.slice(0, 17)}Ｘ`), [['idCard', `${withX.slice(0, 17)}Ｘ`, withX, false]]);
  const good = withIdCheck('32010219880229123');
  assert.deepEqual(found(good).map((f) => f[0]), ['idCard'], '1988-02-29 is a day');
  assert.deepEqual(found('130503670401001'), [['idCard', '130503670401001', '130503670401001', false]]);
  assert.deepEqual(found('130503671301001'), [], '15 digits, month 13');
});

test('id cards: a wrong check char or an impossible birth date is no id card', () => {
  const good = withIdCheck('11010519900307123');
  const bad = good.slice(0, 17) + (good[17] === 'X' ? '0' : good[17] === '9' ? 'X' : otherDigit(good[17]!));
  assert.deepEqual(found(bad).filter((f) => f[0] === 'idCard'), []);
  assert.deepEqual(found(withIdCheck('32010219890229123')), [], '1989-02-29 is no day');
  assert.deepEqual(found(withIdCheck('32010218000101123')), [], 'born 1800');
});

test('bank cards: 16–19 digits with Luhn, grouped or not; a wrong check digit is nothing', () => {
  assert.deepEqual(found(`卡号${CARD}`), [['bankCard', CARD, CARD, false]]);
  const grouped = `${CARD.slice(0, 4)} ${CARD.slice(4, 8)} ${CARD.slice(8, 12)} ${CARD.slice(12, 16)} ${CARD.slice(16)}`;
  assert.deepEqual(found(`卡号${grouped}`), [['bankCard', grouped, CARD, false]]);
  const sixteen = withLuhn('436742123456789');
  assert.deepEqual(found(sixteen), [['bankCard', sixteen, sixteen, false]]);
  assert.deepEqual(found(`卡号${CARD.slice(0, 18)}${otherDigit(CARD[18]!)}`), []);
  const badGrouped = `6222 0212 3456 7890 12${otherDigit(CARD[18]!)}`;
  assert.deepEqual(found(badGrouped), [], 'no landline taken out of the middle of a mistyped card');
});

test('an id card number that also passes Luhn is only an id card', () => {
  const both = idWhere((id) => withLuhn(id.slice(0, 17)) === id);
  assert.deepEqual(found(both), [['idCard', both, both, false]]);
  assert.deepEqual(found(both, new Set(['bankCard', 'phone'])), [], 'not reported as a bank card when id cards are not asked for');
});

test('masked numbers: * ＊ x hide digits', () => {
  assert.deepEqual(found('手机138****5678'), [['phone', '138****5678', '138****5678', true]]);
  assert.deepEqual(found('138xxxx5678'), [['phone', '138xxxx5678', '138****5678', true]]);
  assert.deepEqual(found('138 ＊＊＊＊ 5678'), [['phone', '138 ＊＊＊＊ 5678', '138****5678', true]]);
  assert.deepEqual(found('6222 **** **** 1234'), [['bankCard', '6222 **** **** 1234', '6222********1234', true]]);
  assert.deepEqual(found('身份证110105********1234'), [['idCard', '110105********1234', '110105********1234', true]]);
  assert.deepEqual(found('银行卡110105********1234'), [['bankCard', '110105********1234', '110105********1234', true]]);
  assert.deepEqual(found('110105********123X'), [['idCard', '110105********123X', '110105********123X', true]]);
  assert.deepEqual(found('xxx公司'), []);
});

test('masked mentions by the last digits: 尾号 / 后四位 / 末四位, typed by the words around them', () => {
  assert.deepEqual(found('您手机尾号1234对吧'), [['phone', '尾号1234', '1234', true]]);
  assert.deepEqual(found('后四位是五六七八'), [['phone', '后四位是五六七八', '5678', true]]);
  assert.deepEqual(found('末四位：5678'), [['phone', '末四位：5678', '5678', true]]);
  assert.deepEqual(found('尾号1234的卡'), [['bankCard', '尾号1234', '1234', true]]);
  assert.deepEqual(found('卡号尾号是5678'), [['bankCard', '尾号是5678', '5678', true]]);
  assert.deepEqual(found('身份证后四位1234'), [['idCard', '后四位1234', '1234', true]]);
  assert.deepEqual(found('银行卡已绑定，手机尾号123'), [['phone', '尾号123', '123', true]], 'the 卡 is in another clause');
  assert.deepEqual(found('后四位123'), [], '后四位 takes four digits');
  assert.deepEqual(found('尾号12345'), []);
  assert.deepEqual(found('尾号1234', new Set(['bankCard'])), [], 'a phone mention is not reported as a card');
});

test('a mobile number typed with its country code is a phone: +8613812345678, 008613812345678', () => {
  for (const t of ['电话+8613812345678', '电话008613812345678']) {
    const got = found(t);
    assert.equal(got.length, 1, t);
    assert.equal(got[0]![0], 'phone');
    assert.ok(String(got[0]![1]).endsWith('13812345678'), JSON.stringify(got));
  }
});
