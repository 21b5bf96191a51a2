import type { CallMetadata } from '../domain/call.js';
import { invalidMetadata, invalidTranscript } from '../domain/errors.js';
import type { Speaker, TranscriptSegment } from '../domain/transcript.js';
import { formatIssues } from '../domain/zod-issues.js';
import { callInputSchema, callMetadataFields, MAX_EPOCH_MS, type CallMetadataInput } from './call-input.schema.js';

export interface ParsedCallInput {
  metadata: CallMetadata;
  /** Roles per audio channel if the caller said; otherwise decided from the recording. */
  channelRoles: Speaker[] | null;
  /** Provided transcript, sorted by start and re-indexed; null when none was given. */
  segments: TranscriptSegment[] | null;
}

export interface ParseOptions {
  /** Offset for times without one, e.g. +08:00. */
  defaultUtcOffset: string;
}

const KNOWN_FIELDS = [...Object.keys(callMetadataFields), 'metadata', 'segments'];

/**
 * Validate and normalise what an integrator sent about a call (sidecar, manifest row, multipart
 * metadata, transcript JSON). Pure. Throws INVALID_METADATA / INVALID_TRANSCRIPT listing every problem.
 * @example parseCallInput({ externalId: 'c1', agentId: 'A1', segments: [...] }, { defaultUtcOffset: '+08:00' })
 */
export function parseCallInput(input: unknown, opts: ParseOptions): ParsedCallInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidMetadata('call metadata must be a JSON object, e.g. {"externalId":"c-1","agentId":"A1001"}');
  }
  const result = callInputSchema.safeParse(input);
  if (!result.success) {
    const problems = formatIssues(result.error.issues, KNOWN_FIELDS);
    const inSegments = result.error.issues.every((i) => i.path[0] === 'segments');
    const make = inSegments ? invalidTranscript : invalidMetadata;
    throw make(`invalid ${inSegments ? 'transcript' : 'call metadata'}: ${problems.join('; ')}`, { problems });
  }
  const { metadata: nested, segments, ...top } = result.data;
  const merged: CallMetadataInput = { ...top };
  const conflicts: string[] = [];
  for (const [k, v] of Object.entries(nested ?? {}) as Array<[keyof CallMetadataInput, unknown]>) {
    if (merged[k] !== undefined && JSON.stringify(merged[k]) !== JSON.stringify(v)) conflicts.push(k);
    (merged as Record<string, unknown>)[k] = v;
  }
  if (conflicts.length) {
    throw invalidMetadata(`fields given twice with different values (top level and "metadata"): ${conflicts.join(', ')}; give each once`, { problems: conflicts });
  }
  const startedAt = merged.startedAt === undefined ? null : toEpochMs(merged.startedAt, opts.defaultUtcOffset);
  return {
    metadata: {
      externalId: merged.externalId ?? null,
      channel: merged.channel ?? 'phone',
      direction: merged.direction ?? 'unknown',
      startedAt,
      durationMs: merged.durationMs ?? null,
      agentId: merged.agentId ?? null,
      teamId: merged.teamId ?? null,
      businessLine: merged.businessLine ?? null,
      customerPhone: merged.customerPhone ?? null,
      customerTags: merged.customerTags ?? [],
      consultType: merged.consultType ?? null,
      language: merged.language ?? 'zh-CN',
      extra: merged.extra ?? {},
    },
    channelRoles: merged.channelRoles ?? null,
    segments: segments ? normaliseSegments(segments) : null,
  };
}

function normaliseSegments(segments: Array<Omit<TranscriptSegment, 'index'>>): TranscriptSegment[] {
  return segments
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.startMs - b.s.startMs || a.i - b.i)
    .map(({ s }, index) => ({ index, ...s }));
}

/** ISO 8601 (offset optional) or epoch ms → epoch ms. */
export function toEpochMs(v: string | number, defaultUtcOffset: string): number {
  if (typeof v === 'number') {
    if (v < 0 || v >= MAX_EPOCH_MS) throw invalidMetadata(`startedAt: ${v} is outside 1970–2099 in epoch milliseconds`, { problems: ['startedAt'] });
    return v;
  }
  let iso = v.replace(' ', 'T');
  const offset = /(Z|[+-]\d{2}:?\d{2})$/.exec(iso);
  if (!offset) iso += defaultUtcOffset;
  else if (/^[+-]\d{4}$/.test(offset[1]!)) iso = iso.slice(0, -5) + `${offset[1]!.slice(0, 3)}:${offset[1]!.slice(3)}`;
  const ms = Date.parse(iso);
  // Date.parse rolls impossible days over instead of failing (2025-02-30 → 2025-03-02, 04-31 →
  // 05-01), which would store a call on a day the caller never sent; check the day of the month.
  if (Number.isNaN(ms) || !isCalendarDay(iso)) throw invalidMetadata(`startedAt: ${v} is not a real date and time`, { problems: ['startedAt'] });
  if (ms < 0 || ms >= MAX_EPOCH_MS) throw invalidMetadata(`startedAt: ${v} is outside 1970–2099`, { problems: ['startedAt'] });
  return ms;
}

/** The YYYY-MM-DD at the start of an ISO string names a day that exists (leap years included). */
function isCalendarDay(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0–99 to 1900–1999
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}
