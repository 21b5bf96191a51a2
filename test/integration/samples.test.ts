import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseWavHeader } from '../../src/ingest/audio-probe/wav-header.js';
import { callInputSchema } from '../../src/ingest/call-input.schema.js';

const DIR = path.resolve(import.meta.dirname, '../../samples/calls');
const ids = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

test('the bundled samples: 20+ calls, each a valid sidecar and a stereo 8 kHz μ-law WAV that agree in time', () => {
  assert.ok(ids.length >= 20, `${ids.length} sample calls`);
  let total = 0;
  for (const id of ids) {
    const meta = callInputSchema.parse(JSON.parse(readFileSync(path.join(DIR, `${id}.json`), 'utf8')));
    const wavPath = path.join(DIR, `${id}.wav`);
    const size = statSync(wavPath).size;
    total += size;
    const wav = parseWavHeader(readFileSync(wavPath).subarray(0, 4096), size);
    assert.equal(wav.codec, 'pcm_mulaw', id);
    assert.equal(wav.channels, 2, id);
    assert.equal(wav.sampleRate, 8000, id);
    assert.equal(meta.externalId, id);
    assert.ok(Math.abs((meta.durationMs ?? 0) - wav.durationMs) <= 50, `${id}: durationMs ${meta.durationMs} vs audio ${wav.durationMs}`);
    const segs = meta.segments ?? [];
    assert.ok(segs.length >= 6, `${id}: ${segs.length} turns`);
    assert.ok(segs.every((s, i) => i === 0 || s.startMs >= segs[i - 1]!.startMs), `${id}: segments in time order`);
    assert.ok(segs.at(-1)!.endMs <= wav.durationMs, `${id}: last segment ends inside the audio`);
    // a turn can be just digits (an order number read out); the call as a whole is Chinese
    assert.ok(segs.filter((s) => /\p{Script=Han}/u.test(s.text)).length >= segs.length * 0.8, `${id}: Simplified Chinese text`);
  }
  assert.ok(total < 10 * 1024 * 1024, `samples total ${total} bytes < 10 MiB`);
});

test('the samples cover clean calls and every typical problem at least twice', () => {
  const problems = ids.flatMap((id) => (JSON.parse(readFileSync(path.join(DIR, `${id}.json`), 'utf8')) as { extra: { problems: string } }).extra.problems.split(','));
  const count = (p: string) => problems.filter((x) => x === p).length;
  assert.ok(count('none') >= 5, 'clean calls');
  for (const p of ['no_greeting', 'forbidden_phrase', 'anger_without_empathy', 'long_silence', 'interruption']) assert.ok(count(p) >= 2, `${p}: ${count(p)}`);
});
