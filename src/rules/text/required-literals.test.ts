import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requiredLiterals } from './required-literals.js';

test('the literals every match must contain, or null when a branch needs none', () => {
  assert.deepEqual(requiredLiterals('打了.{1,4}次|凭什么'), ['凭什么', '打了']);
  assert.deepEqual(requiredLiterals('(一直|始终)(没|不)管'), ['一直', '始终'], 'a required group: each of its branches');
  assert.deepEqual(requiredLiterals('还有(什么|其他)(问题|需要)'), ['还有']);
  assert.deepEqual(requiredLiterals('a(?=b)c'), ['a'], 'a lookahead separates its neighbours: never "ac"');
  assert.deepEqual(requiredLiterals('a\\bc'), ['a']);
  assert.deepEqual(requiredLiterals('退\\.款'), ['退.款'], 'an escaped character is a literal');
  assert.deepEqual(requiredLiterals('(?<x>.)不\\k<x>'), ['不']);
  assert.equal(requiredLiterals('.{2}'), null);
  assert.equal(requiredLiterals('\\d+|退'), null, 'one branch needs no literal');
  assert.equal(requiredLiterals('(退)?款?'), null, 'optional parts are not required');
  assert.deepEqual(requiredLiterals('[^，]+退'), ['退']);
  assert.equal(requiredLiterals('a{2'), null, 'syntax it cannot read: no gate');
});

test('escapes, classes and astral characters are read as JavaScript reads them', () => {
  assert.deepEqual(requiredLiterals('请稍等\\u3002'), ['请稍等。'], '\\uXXXX is one character, its hex digits no literals');
  assert.deepEqual(requiredLiterals('\\x41\\u{4f60}好'), ['A你好']);
  assert.deepEqual(requiredLiterals('\\uD83D\\uDE00好'), ['好'], 'a surrogate half is no literal');
  assert.equal(requiredLiterals('(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)\\10'), null, '\\10 is a back reference, not \\1 and a literal 0');
  assert.deepEqual(requiredLiterals('您好[^]{0,5}|退款'), ['您好', '退款'], '[^] is any character, closed at once');
  assert.equal(requiredLiterals('[]|x'), null, '[] is a class (matching nothing), not a literal ]');
  assert.deepEqual(requiredLiterals('👍?好'), ['好'], 'a quantifier after an astral character applies to all of it');
  assert.deepEqual(requiredLiterals('👍好'), ['👍好']);
});

test('property: every match of a generated pattern contains one of its literals', () => {
  // A seeded generator (the same patterns every run) of patterns mixing literals, classes,
  // escapes, groups, lookarounds, back references and quantifiers; every match on generated
  // texts must hold a gate literal, or gating would lose a hit.
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const atoms = ['a', 'b', '不', '好', '.', '[ab]', '[^a]', '[^]', '[]', '\\.', '\\d', '\\b', '^', '$', '(?=a)', '(?!b)', '(?<=a)', '(?<!b)', '\\1', '\\k<g>', '\\x61', '\\u4e0d', '\\u{62}', '😀', '\\n', '[\\]a]', '[a-c]'];
  const quants = ['', '', '', '?', '*', '+', '{0,2}', '{1}', '{2}', '{1,2}', '??', '+?', '{0}', '{1,}'];
  const gen = (depth: number): string => {
    let s = '';
    for (let i = 0, n = 1 + rnd(4); i < n; i++) {
      let a: string;
      if (depth < 3 && rnd(10) < 3) {
        const parts = Array.from({ length: 1 + rnd(3) }, () => gen(depth + 1));
        a = ['(', '(?:', '(?<g>'][rnd(3)] + parts.join('|') + ')';
      } else a = atoms[rnd(atoms.length)]!;
      const zeroWidth = /^(\\b|\^|\$|\(\?[=!]|\(\?<[=!])/.test(a);
      s += a + (zeroWidth ? '' : quants[rnd(quants.length)]!);
    }
    return s;
  };
  const alphabet = [...'ab不好.c1😀\n'];
  const texts = Array.from({ length: 120 }, () => Array.from({ length: rnd(8) }, () => alphabet[rnd(alphabet.length)]).join(''));
  let gated = 0;
  for (let it = 0; it < 40000; it++) {
    const pattern = rnd(3) === 0 ? `${gen(0)}|${gen(0)}` : gen(0);
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'gu');
    } catch {
      continue;
    }
    const lits = requiredLiterals(pattern);
    if (!lits) continue;
    gated++;
    for (const t of texts) {
      for (const m of t.matchAll(re)) {
        if (m[0].length && !lits.some((l) => m[0].includes(l))) assert.fail(`${pattern}: gate ${JSON.stringify(lits)} misses the match ${JSON.stringify(m[0])} in ${JSON.stringify(t)}`);
      }
    }
  }
  assert.ok(gated > 1500, `enough gated patterns tried (${gated})`);
});
