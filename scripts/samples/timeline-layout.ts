/** Placing the synthesized utterances on the call's timeline. */
import type { CallScript, ScriptTurn } from '../../samples/call-scripts.js';
import { randInt } from './rng.js';
import { SAMPLES_PER_MS } from './telephone-format.js';

export interface PlacedUtterance {
  turn: ScriptTurn;
  startSample: number;
  samples: Int16Array;
}

/**
 * Lays the utterances on a timeline: a short lead-in, 300–900 ms between turns, the scripted
 * gap where a turn has `gapBeforeMs`, and an early start where a turn has `overlapMs`.
 */
export function layOut(script: CallScript, audio: Int16Array[], rng: () => number): { placed: PlacedUtterance[]; totalSamples: number } {
  const placed: PlacedUtterance[] = [];
  const leadInMs = randInt(rng, 300, 600);
  let prevStartMs = 0;
  let prevEndMs = 0;
  script.turns.forEach((turn, i) => {
    const samples = audio[i];
    if (!samples) throw new Error(`${script.externalId}: no audio for turn ${i}`);
    const durMs = Math.ceil(samples.length / SAMPLES_PER_MS);
    const gapMs = randInt(rng, 300, 900); // drawn for every turn so scripted gaps don't shift later ones
    let startMs: number;
    if (i === 0) startMs = leadInMs;
    else if (turn.overlapMs !== undefined) startMs = prevEndMs - turn.overlapMs;
    else startMs = prevEndMs + (turn.gapBeforeMs ?? gapMs);
    // An interruption must land inside the previous turn, or segment order would no longer be turn order.
    if (startMs <= prevStartMs) throw new Error(`${script.externalId}: turn ${i} overlaps more than the whole previous turn`);
    placed.push({ turn, startSample: startMs * SAMPLES_PER_MS, samples });
    prevStartMs = startMs;
    // An interrupted speaker keeps talking, so the timeline continues from whoever finishes last.
    prevEndMs = Math.max(prevEndMs, startMs + durMs);
  });
  const tailMs = randInt(rng, 300, 500);
  return { placed, totalSamples: (prevEndMs + tailMs) * SAMPLES_PER_MS };
}
