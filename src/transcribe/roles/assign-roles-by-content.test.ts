import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignRolesByContent, type RoleCandidate } from './assign-roles-by-content.js';

const u = (text: string, cluster?: number): RoleCandidate => ({ speaker: 'unknown', text, ...(cluster === undefined ? {} : { cluster }) });

test('diarized mono call: the cluster that greets and gives a job number is the agent, the other the customer', () => {
  const out = assignRolesByContent([
    u('您好，很高兴为您服务，工号1024', 1),
    u('我想问一下我的订单什么时候到', 0),
    u('好的，请您稍等，我为您查询一下', 1),
    u('嗯', 0),
  ]);
  assert.deepEqual(out.map((s) => s.speaker), ['agent', 'customer', 'agent', 'customer']);
});

test('clusters the cues cannot tell apart stay unknown rather than guessed', () => {
  const out = assignRolesByContent([u('嗯', 0), u('好的', 1)]);
  assert.deepEqual(out.map((s) => s.speaker), ['unknown', 'unknown']);
});

test('without diarization only segments carrying a cue get a role; English cues work too', () => {
  const out = assignRolesByContent([u('Thank you for calling, how can I help you?'), u('I want to return my order'), u('okay')]);
  assert.deepEqual(out.map((s) => s.speaker), ['agent', 'customer', 'unknown']);
});

test('segments with a role keep it', () => {
  const out = assignRolesByContent([{ speaker: 'customer' as const, text: '您好很高兴为您服务' }]);
  assert.equal(out[0]!.speaker, 'customer');
});

test('a recognised segment takes the diarization cluster it overlaps most', async () => {
  const { clusterOf } = await import('../transcribe-with-engine.js');
  const turns = [
    { startMs: 0, endMs: 4000, speaker: 1 },
    { startMs: 4000, endMs: 9000, speaker: 0 },
  ];
  assert.deepEqual(clusterOf({ startMs: 3000, endMs: 8000, text: 'x', confidence: null }, turns), { cluster: 0 });
  assert.deepEqual(clusterOf({ startMs: 100, endMs: 900, text: 'x', confidence: null }, turns), { cluster: 1 });
  assert.deepEqual(clusterOf({ startMs: 10_000, endMs: 11_000, text: 'x', confidence: null }, turns), {});
  assert.deepEqual(clusterOf({ startMs: 0, endMs: 1, text: 'x', confidence: null }, null), {});
});
