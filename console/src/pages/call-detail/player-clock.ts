import { useCallback, useSyncExternalStore } from 'react';

export const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;

/**
 * Where playback is, outside React: the audio element's events notify subscribers, and each
 * component reads only what it shows (useSyncExternalStore), so a timeupdate re-renders the clock
 * and at most the two transcript rows whose "active" changed — never the whole transcript.
 * Without audio (a chat) the clock still holds a position: clicking a sentence marks it.
 */
export class PlayerClock {
  private audio: HTMLAudioElement | null = null;
  private readonly listeners = new Set<() => void>();
  private virtualMs = 0;
  private pendingRate = 1;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private notify = (): void => {
    for (const fn of this.listeners) fn();
  };

  /** Follows this element until the returned function is called. */
  attach(audio: HTMLAudioElement): () => void {
    this.audio = audio;
    audio.playbackRate = this.pendingRate;
    if (this.virtualMs > 0) audio.currentTime = this.virtualMs / 1000;
    const events = ['timeupdate', 'seeking', 'seeked', 'play', 'pause', 'ended', 'ratechange', 'loadedmetadata', 'durationchange'] as const;
    for (const e of events) audio.addEventListener(e, this.notify);
    this.notify();
    return () => {
      for (const e of events) audio.removeEventListener(e, this.notify);
      if (this.audio === audio) this.audio = null;
    };
  }

  get hasAudio(): boolean {
    return this.audio !== null;
  }

  timeMs = (): number => (this.audio ? this.audio.currentTime * 1000 : this.virtualMs);
  playing = (): boolean => (this.audio ? !this.audio.paused && !this.audio.ended : false);
  rate = (): number => (this.audio ? this.audio.playbackRate : this.pendingRate);

  /** Jumps to `ms`; playback goes on if it was playing. */
  seek(ms: number): void {
    const at = Math.max(0, ms);
    this.virtualMs = at;
    if (this.audio) this.audio.currentTime = at / 1000;
    this.notify();
  }

  toggle(): void {
    const a = this.audio;
    if (!a) return;
    if (a.paused || a.ended) void a.play().catch(() => undefined);
    else a.pause();
  }

  setRate(rate: number): void {
    this.pendingRate = rate;
    if (this.audio) this.audio.playbackRate = rate;
    this.notify();
  }
}

/** A value derived from the clock; the component re-renders only when it changes. */
export function useClock<T>(clock: PlayerClock, read: (c: PlayerClock) => T): T {
  const snapshot = useCallback(() => read(clock), [clock, read]);
  return useSyncExternalStore(clock.subscribe, snapshot);
}

/** A sentence counts as started this long before its start: seeking to it lands a hair early. */
const START_TOLERANCE_MS = 50;

/**
 * The sentence playing at `ms`: the last one started by then (it stays current through the pause
 * after it), -1 before the first. `starts` are sorted ascending, `indexes` the segment index of each.
 */
export function activeSegmentAt(ms: number, starts: readonly number[], indexes: readonly number[]): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= ms + START_TOLERANCE_MS) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? -1 : indexes[found]!;
}
