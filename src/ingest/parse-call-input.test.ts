import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCallInput, toEpochMs } from './parse-call-input.js';

const opts = { defaultUtcOffset: '+08:00' };

test('metadata at the top level or under "metadata" is merged; defaults fill the rest', () => {
  const p = parseCallInput({ externalId: 'c-1', agentId: 'A1', metadata: { teamId: 'T1', customerTags: ['VIP'] } }, opts);
  assert.equal(p.metadata.externalId, 'c-1');
  assert.equal(p.metadata.teamId, 'T1');
  assert.deepEqual(p.metadata.customerTags, ['VIP']);
  assert.equal(p.metadata.language, 'zh-CN');
  assert.equal(p.metadata.direction, 'unknown');
  assert.equal(p.segments, null);
});

test('segments are sorted by start and indexed', () => {
  const p = parseCallInput(
    { segments: [{ speaker: 'customer', startMs: 5000, endMs: 6000, text: '好的' }, { speaker: 'agent', startMs: 0, endMs: 4000, text: '您好' }] },
    opts,
  );
  assert.deepEqual(p.segments?.map((s) => [s.index, s.speaker]), [[0, 'agent'], [1, 'customer']]);
});

test('unknown fields are named, with the list of known ones', () => {
  assert.throws(() => parseCallInput({ agnetId: 'A1' }, opts), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'INVALID_METADATA');
    assert.match(e.message, /agnetId: unknown field/);
    assert.match(e.message, /agentId/);
    return true;
  });
});

test('every invalid field is reported at once', () => {
  assert.throws(() => parseCallInput({ channel: 'fax', durationMs: 'abc', startedAt: 'yesterday' }, opts), (e: Error) => {
    for (const f of ['channel', 'durationMs', 'startedAt']) assert.match(e.message, new RegExp(f));
    return true;
  });
});

test('a bad segment is a transcript error naming the segment', () => {
  assert.throws(
    () => parseCallInput({ segments: [{ speaker: 'agent', startMs: 5000, endMs: 1000, text: 'x' }] }, opts),
    (e: Error & { code?: string }) => e.code === 'INVALID_TRANSCRIPT' && /segments\.0\.endMs/.test(e.message),
  );
});

test('the same field given twice with different values is refused', () => {
  assert.throws(() => parseCallInput({ agentId: 'A1', metadata: { agentId: 'A2' } }, opts), /agentId/);
  assert.doesNotThrow(() => parseCallInput({ agentId: 'A1', metadata: { agentId: 'A1' } }, opts));
});

test('times: ISO with or without offset (default zone), compact offsets, epoch ms', () => {
  assert.equal(toEpochMs('2025-09-18T10:30:00+08:00', '+08:00'), Date.UTC(2025, 8, 18, 2, 30));
  assert.equal(toEpochMs('2025-09-18 10:30:00', '+08:00'), Date.UTC(2025, 8, 18, 2, 30));
  assert.equal(toEpochMs('2025-09-18T10:30:00+0800', '+00:00'), Date.UTC(2025, 8, 18, 2, 30));
  assert.equal(toEpochMs(1_700_000_000_000, '+08:00'), 1_700_000_000_000);
  assert.throws(() => toEpochMs('2025-02-30T99:99', '+08:00'), /not a real date/);
  // Date.parse rolls these over to March 2 / May 1 instead of failing
  assert.throws(() => toEpochMs('2025-02-30T10:00:00+08:00', '+08:00'), /not a real date/);
  assert.throws(() => toEpochMs('2025-04-31 10:00', '+08:00'), /not a real date/);
  assert.equal(toEpochMs('2024-02-29T00:00:00Z', '+08:00'), Date.UTC(2024, 1, 29));
});

test('non-objects are refused with an example', () => {
  assert.throws(() => parseCallInput([1, 2], opts), /must be a JSON object/);
  assert.throws(() => parseCallInput(null, opts), /must be a JSON object/);
});

test('NUL characters are refused (PostgreSQL cannot store them), in metadata, extra and segment text', () => {
  for (const input of [{ agentId: 'A\u00001' }, { extra: { k: 'v\u0000' } }, { segments: [{ speaker: 'agent', startMs: 0, endMs: 1, text: '您\u0000好' }] }]) {
    assert.throws(() => parseCallInput(input, opts), /NUL/);
  }
});

test('times outside 1970–2099 are refused (a unit mistake, not a call)', () => {
  assert.throws(() => parseCallInput({ startedAt: 9_000_000_000_000_000 }, opts), /startedAt/);
  assert.throws(() => toEpochMs('2200-01-01T00:00:00Z', '+08:00'), /outside 1970–2099/);
  assert.throws(() => toEpochMs(-1, '+08:00'), /outside/);
  assert.equal(toEpochMs('2099-12-31T23:59:59Z', '+08:00'), Date.UTC(2099, 11, 31, 23, 59, 59));
});
