import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorrectionDictionary } from './correction-dictionary.schema.js';

/** The problems a document is rejected with (and that it is rejected as INVALID_REQUEST). */
function problems(doc: unknown): string[] {
  try {
    parseCorrectionDictionary(doc, 'dict.json');
  } catch (e) {
    const err = e as { code?: string; message: string; details?: { problems?: string[] } };
    assert.equal(err.code, 'INVALID_REQUEST');
    assert.match(err.message, /^invalid dict\.json: /);
    return err.details?.problems ?? [];
  }
  return assert.fail('accepted');
}

test('a valid document comes back as given', () => {
  const doc = { note: '加入豆沙色', terms: [{ term: '圆通快递', aliases: ['圆桶快递'] }, { term: '豆沙色', minSimilarity: 0.9 }, { term: '花呗', keep: ['华北'] }] };
  assert.deepEqual(parseCorrectionDictionary(doc), doc);
  assert.deepEqual(parseCorrectionDictionary({ terms: [] }), { terms: [] });
});

test('unknown fields are named, with the fields that exist', () => {
  assert.deepEqual(problems({ terms: [{ term: '圆通快递', alias: ['圆桶快递'] }], version: 2 }), [
    'terms.0.alias: unknown field; a term has term, aliases, keep, minSimilarity',
    'version: unknown field; a dictionary has terms, note',
  ]);
});

test('every problem at once, each with its path', () => {
  const p = problems({ terms: [{ term: '圆' }, { term: ' 圆通快递' }, { term: '七天无理由退货七天无理由退货七天无理由退货' }, { term: '豆沙色', minSimilarity: 1.5 }, { term: '豆沙色', aliases: ['x'] }] });
  assert.deepEqual(
    p.map((l) => l.split(':')[0]),
    ['terms.0.term', 'terms.1.term', 'terms.2.term', 'terms.3.minSimilarity', 'terms.4.aliases.0', 'terms.4.term'], // the duplicate too
  );
  assert.match(p[0]!, /at least 2 characters/);
  assert.match(p[1]!, /spaces/);
  assert.match(p[2]!, /at most 20 characters/);
  assert.deepEqual(problems([]), ['(top level): Invalid input: expected object, received array']);
  assert.deepEqual(problems({}), ['terms: Invalid input: expected array, received undefined']);
  assert.match(problems({ terms: [{ term: 'a\u0000b' }] })[0]!, /NUL/);
});

test('duplicate terms, and a word claimed twice (term, alias or keep word), are rejected', () => {
  assert.deepEqual(problems({ terms: [{ term: '圆通快递' }, { term: '中通快递' }, { term: '圆通快递' }] }), ['terms.2.term: "圆通快递" is the term of terms[0]; merge the two entries']);
  assert.deepEqual(problems({ terms: [{ term: '圆通快递', aliases: ['中通快递', '圆桶快递', '圆桶快递'] }, { term: '中通快递', keep: ['圆桶快递'] }] }), [
    'terms.0.aliases.0: "中通快递" is the term of terms[1]',
    'terms.0.aliases.2: "圆桶快递" is already an alias in terms[0]',
    'terms.1.keep.0: "圆桶快递" is already an alias in terms[0]',
  ]);
});
