import { toCallDetail } from '../analyze/to-document.js';
import { csvCell } from '../audit/audit-export.js';
import { redactCall, redactCallDetail } from '../calls/redact-call-detail.js';
import type { Call } from '../domain/call.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { isTarName, tarSize, tarStream } from './tar-stream.js';

/**
 * The files an export downloads, written as they stream: nothing is held whole, so a thousand
 * calls cost a batch of rows at a time (transcripts, the report) or one recording's chunks (audio).
 * `pii` false masks personal data exactly as the call view does for roles without pii:view.
 */
export interface ExportFile {
  contentType: string;
  /** Known in advance for the tar (the recordings' sizes); null for the text files. */
  contentLength: number | null;
  body: AsyncIterable<Buffer | string>;
}

/** Calls read per batch of transcripts: one query for the transcripts, one for the analyses. */
const BATCH = 100;

/** JSON Lines: one call per line, its metadata and its transcript's segments. */
export function transcriptsFile(db: Database, calls: readonly Call[], pii: boolean): ExportFile {
  async function* lines(): AsyncGenerator<string> {
    for (let i = 0; i < calls.length; i += BATCH) {
      const batch = calls.slice(i, i + BATCH);
      const ids = batch.map((c) => c.id);
      const [transcripts, texts] = await Promise.all([db.repos.transcripts.getMany(ids), pii ? new Map() : db.repos.artifacts.getTextAnalysisMany(ids)]);
      let out = '';
      for (const call of batch) {
        const detail = { call, recording: null, transcript: transcripts.get(call.id) ?? null, signals: null, text: texts.get(call.id) ?? null, inspection: null };
        const doc = toCallDetail(pii ? detail : redactCallDetail(detail));
        out += `${JSON.stringify({ call: doc.call, transcript: doc.transcript, personalData: pii ? 'shown' : 'masked' })}\n`;
      }
      yield out;
    }
  }
  return { contentType: 'application/x-ndjson; charset=utf-8', contentLength: null, body: lines() };
}

const REPORT_COLUMNS = ['call_id', 'external_id', 'agent_id', 'team_id', 'business_line', 'started_at', 'duration_s', 'score', 'band', 'hits', 'hit_rules'] as const;

/**
 * CSV of the calls and their latest inspection, UTF-8 with a byte order mark: without it Excel
 * reads the file as the system code page and the Chinese comes out garbled. Times are local to
 * `utcOffset` (the column header says which), as people reading a report expect.
 */
export function reportFile(db: Database, calls: readonly Call[], pii: boolean, utcOffset: string): ExportFile {
  async function* rows(): AsyncGenerator<string> {
    const header = REPORT_COLUMNS.map((c) => (c === 'started_at' ? `started_at (UTC${utcOffset})` : c));
    yield `\uFEFF${header.join(',')}\r\n`;
    for (let i = 0; i < calls.length; i += BATCH) {
      const batch = calls.slice(i, i + BATCH);
      const inspections = await Promise.all(batch.map((c) => db.repos.inspections.latest(c.id)));
      let out = '';
      batch.forEach((raw, j) => {
        const c = pii ? raw : redactCall(raw);
        const score = inspections[j]?.score ?? null;
        const hit = (inspections[j]?.results ?? []).filter((r) => r.outcome === 'hit');
        const cells = [
          c.id,
          c.externalId,
          c.agentId,
          c.teamId,
          c.businessLine,
          c.startedAt === null ? null : localTime(c.startedAt, utcOffset),
          c.durationMs === null ? null : Math.round(c.durationMs / 100) / 10,
          score?.percent ?? null,
          score?.band ?? null,
          hit.reduce((n, r) => n + r.hits, 0),
          hit.map((r) => r.ruleName).join('; '),
        ];
        out += `${cells.map(csvCell).join(',')}\r\n`;
      });
      yield out;
    }
  }
  return { contentType: 'text/csv; charset=utf-8', contentLength: null, body: rows() };
}

/** `2025-03-01 14:03:00` at a UTC offset like +08:00. */
export function localTime(ms: number, utcOffset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return new Date(ms + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A tar of the original recordings, byte for byte, one entry per call that has one, named
 * `<external id or call id>.<format>`; each is streamed from the blob store as the archive is sent.
 */
export async function audioFile(db: Database, blobs: BlobStore, calls: readonly Call[]): Promise<ExportFile> {
  const taken = new Set<string>();
  const entries = [];
  for (const call of calls) {
    const rec = await db.repos.recordings.getByCallId(call.id);
    if (!rec) continue;
    const name = entryName(call, rec.format, taken);
    taken.add(name);
    entries.push({ name, size: rec.sizeBytes, mtime: call.startedAt ?? call.createdAt, body: () => blobs.read(rec.blobKey) });
  }
  return { contentType: 'application/x-tar', contentLength: tarSize(entries.map((e) => e.size)), body: tarStream(entries) };
}

/** The external id when it makes a safe, unique file name (path characters replaced), else the call id. */
function entryName(call: Call, format: string, taken: ReadonlySet<string>): string {
  if (call.externalId !== null) {
    // eslint-disable-next-line no-control-regex
    const name = `${call.externalId.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_')}.${format}`;
    if (isTarName(name) && !taken.has(name) && !name.startsWith('.')) return name;
  }
  const byId = `${call.id}.${format}`;
  return taken.has(byId) ? `${call.id}-${taken.size}.${format}` : byId;
}
