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
