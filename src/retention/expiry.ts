import type { Call } from '../domain/call.js';
import type { RetentionPolicy, RetentionRule } from './retention-policy.js';

const DAY_MS = 24 * 3600 * 1000;

/** The call facts retention looks at. */
export type RetentionFacts = Pick<Call, 'businessLine' | 'customerTags' | 'channel' | 'durationMs' | 'startedAt' | 'createdAt'>;

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

/**
 * When a call expires under a policy. Pure.
 *
 * - The clock starts when the call took place (startedAt), or when Tingjian accepted it if the
 *   call has no start time: a 2025 call imported in 2026 is as old as it is.
 * - Of the rules that match, the longest keepDays wins (ties: the earlier rule); none: defaultKeepDays.
 * - A phone call shorter than misdialMaxSeconds (a known duration) is a misdial, kept
 *   misdialKeepDays when that is shorter — unless a matching rule says keepMisdials.
 * @example expiryOf(call, policy) // { expiresAt: 1768003200000, policy: 'finance', keepDays: 1825 }
 */
export function expiryOf(call: RetentionFacts, policy: RetentionPolicy): Expiry {
  const from = call.startedAt ?? call.createdAt;
  const matching = policy.rules.filter((r) => matches(r, call));
  const longest = matching.reduce<RetentionRule | null>((best, r) => (best === null || r.keepDays > best.keepDays ? r : best), null);
  let decided = longest ? { policy: longest.id, keepDays: longest.keepDays } : { policy: 'default', keepDays: policy.defaultKeepDays };
  const misdial =
    policy.misdialMaxSeconds !== undefined &&
    policy.misdialKeepDays !== undefined &&
    call.channel === 'phone' &&
    call.durationMs !== null &&
    call.durationMs < policy.misdialMaxSeconds * 1000 &&
    !matching.some((r) => r.keepMisdials);
  if (misdial && policy.misdialKeepDays! < decided.keepDays) decided = { policy: 'misdial', keepDays: policy.misdialKeepDays! };
  return { expiresAt: from + decided.keepDays * DAY_MS, ...decided };
}
