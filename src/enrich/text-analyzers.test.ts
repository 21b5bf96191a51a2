import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTingjianError } from '../domain/errors.js';
import { textAnalyzersFrom } from './text-analyzers.js';

test('a missing user dictionary fails only what segments (topic discovery), not the taxonomy the enrich stage needs', () => {
  const text = textAnalyzersFrom({ topicTaxonomy: undefined, userDictionary: '/nonexistent/words.txt' })();
  assert.ok(text.taxonomy.topics.length >= 10);
  assert.throws(
    () => text.segmenter,
    (e: unknown) => isTingjianError(e) && e.code === 'CONFIG_INVALID' && /TINGJIAN_USER_DICTIONARY: cannot read \/nonexistent\/words\.txt \(ENOENT\)/.test(e.message),
  );
  const plain = textAnalyzersFrom({ topicTaxonomy: undefined, userDictionary: undefined })();
  assert.strictEqual(plain.segmenter, plain.segmenter, 'built once');
});
