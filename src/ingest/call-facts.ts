import { invalidMetadata } from '../domain/errors.js';
import type { Speaker, TranscriptSegment } from '../domain/transcript.js';

/**
 * Facts about a call decided the same way by ingest and by one-shot analyze, so that both give
 * the same answer for the same file. Pure.
 */

/**
 * Which role each channel carries: as the caller said (one per channel), else mono is `unknown`
 * (both sides mixed: roles come from role detection later), else the configured default per channel.
 * @example channelRolesFor(null, 2, ['agent', 'customer']) // ['agent', 'customer']
 */
export function channelRolesFor(given: Speaker[] | null, channels: number, defaults: Speaker[]): Speaker[] {
  if (given) {
    if (given.length !== channels) {
      throw invalidMetadata(`channelRoles names ${given.length} channel(s) but the recording has ${channels}; give one role per channel`, { problems: ['channelRoles'] });
    }
    return given;
  }
  if (channels === 1) return ['unknown'];
  return Array.from({ length: channels }, (_, i) => defaults[i] ?? 'unknown');
}

/** The call's length: as given, else the recording's, else until the last segment ends. */
export function callDurationMs(given: number | null, recordingMs: number | null | undefined, segments: TranscriptSegment[] | null): number | null {
  return given ?? recordingMs ?? segments?.reduce((m, s) => Math.max(m, s.endMs), 0) ?? null;
}
