import type { CallChannel } from '../../domain/call.js';
import type { Transcript } from '../../domain/transcript.js';
import { correctSegments } from './correct-text.js';
import type { CurrentDictionary } from './correction-service.js';

/**
 * The correction dictionary over a transcript, when it applies: always to speech (an engine's
 * output, or a phone call transcribed elsewhere), never to what people typed (chat, email).
 * Changed segments keep what was heard in rawText. Idempotent: a segment corrected before keeps
 * its first rawText, so a re-run changes nothing.
 */
export function applyCorrections(t: Transcript, d: CurrentDictionary | null, channel: CallChannel): { transcript: Transcript; changed: number } {
  if (!d || (t.engine === 'provided' && channel !== 'phone')) return { transcript: t, changed: 0 };
  const segments = correctSegments(t.segments, d.compiled);
  const changed = segments.filter((s, i) => s !== t.segments[i]).length;
  return { transcript: changed ? { ...t, segments } : t, changed };
}

/** What the transcribe stage's note says about it. */
export function correctionNote(changed: number, d: CurrentDictionary | null): string {
  return d ? `; correction dictionary v${d.version}: ${changed} segment(s) corrected` : '';
}
