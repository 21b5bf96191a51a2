import type { Call } from '../domain/call.js';
import type { RetentionPolicy, RetentionRule } from './retention-policy.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The call facts retention looks at. `recordingMs`: the recording's measured length, when it has
 * one — the declared durationMs is whatever the pushing system said.
 */
export type RetentionFacts = Pick<Call, 'businessLine' | 'customerTags' | 'channel' | 'durationMs' | 'startedAt' | 'createdAt'> & { recordingMs?: number | null };

export interface Expiry {
  /** Epoch ms after which the call may be purged. */
  expiresAt: number;
  /** The rule that decided: its id, `default` (no rule matched) or `misdial`. */
  policy: string;
  keepDays: number;
}

const matches = (rule: RetentionRule, call: RetentionFacts): boolean => {
  const m = rule.match;
  if (m.businessLine && (call.businessLine === null || !m.businessLine.includes(call.businessLine))) return false;
  if (m.customerTag && !call.customerTags.some((t) => m.customerTag!.includes(t))) return false;
  if (m.channel && !m.channel.includes(call.channel)) return false;
  return true;
};

/** How long a call lasted at least: the longer of its declared and its recording's length (null: neither is known). */
const knownLengthMs = (call: RetentionFacts): number | null => {
  const known = [call.durationMs, call.recordingMs].filter((ms): ms is number => typeof ms === 'number');
  return known.length ? Math.max(...known) : null;
};

/**
 * When a call expires under a policy. Pure.
 *
 * - The clock starts when the call took place (startedAt), or when Tingjian accepted it if the
 *   call has no start time: a 2025 call imported in 2026 is as old as it is.
 * - Of the rules that match, the longest keepDays wins (ties: the earlier rule); none: defaultKeepDays.
 * - A phone call shorter than misdialMaxSeconds (a known duration) is a misdial, kept
 *   misdialKeepDays when that is shorter — unless a matching rule says keepMisdials. Its length
 *   is the longer of the declared durationMs and the recording's: a 10-second recording declared
 *   as 2 seconds is no misdial (a wrong or hostile durationMs must not get a call purged early).
 * @example expiryOf(call, policy) // { expiresAt: 1768003200000, policy: 'finance', keepDays: 1825 }
 */
export function expiryOf(call: RetentionFacts, policy: RetentionPolicy): Expiry {
  const from = call.startedAt ?? call.createdAt;
  const matching = policy.rules.filter((r) => matches(r, call));
  const longest = matching.reduce<RetentionRule | null>((best, r) => (best === null || r.keepDays > best.keepDays ? r : best), null);
  let decided = longest ? { policy: longest.id, keepDays: longest.keepDays } : { policy: 'default', keepDays: policy.defaultKeepDays };
  const lengthMs = knownLengthMs(call);
  const misdial =
    policy.misdialMaxSeconds !== undefined &&
    policy.misdialKeepDays !== undefined &&
    call.channel === 'phone' &&
    lengthMs !== null &&
    lengthMs < policy.misdialMaxSeconds * 1000 &&
    !matching.some((r) => r.keepMisdials);
  if (misdial && policy.misdialKeepDays! < decided.keepDays) decided = { policy: 'misdial', keepDays: policy.misdialKeepDays! };
  return { expiresAt: from + decided.keepDays * DAY_MS, ...decided };
}
