import type { Kysely } from 'kysely';
import type { Speaker, Transcript } from '../../../domain/transcript.js';
import type { TranscriptRepository } from '../../../ports/repositories.js';
import type { DatabaseSchema } from '../schema.js';
import { chunks } from './sql-helpers.js';

/** Segments are rows (not a JSON blob) so later issues can search and index them. */
export class KyselyTranscriptRepository implements TranscriptRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async save(t: Transcript): Promise<void> {
    await this.db.deleteFrom('transcript_segments').where('call_id', '=', t.callId).execute();
    await this.db.deleteFrom('transcripts').where('call_id', '=', t.callId).execute();
    await this.db
      .insertInto('transcripts')
      .values({ call_id: t.callId, engine: t.engine, language: t.language, created_at: Date.now() })
      .execute();
    for (const part of chunks(t.segments)) {
      await this.db
        .insertInto('transcript_segments')
        .values(
          part.map((s) => ({
            call_id: t.callId,
            idx: s.index,
            speaker: s.speaker,
            start_ms: s.startMs,
            end_ms: s.endMs,
            text: s.text,
            raw_text: s.rawText ?? null,
            confidence: s.confidence ?? null,
          })),
        )
        .execute();
    }
  }

  async get(callId: string): Promise<Transcript | null> {
    return (await this.getMany([callId])).get(callId) ?? null;
  }

  async getMany(callIds: string[]): Promise<Map<string, Transcript>> {
    const out = new Map<string, Transcript>();
    for (const ids of chunks([...new Set(callIds)])) {
      // One query: each head with its segments (none for an empty transcript), in order.
      const rows = await this.db
        .selectFrom('transcripts as t')
        .leftJoin('transcript_segments as s', 's.call_id', 't.call_id')
        .select(['t.call_id', 't.engine', 't.language', 's.idx', 's.speaker', 's.start_ms', 's.end_ms', 's.text', 's.raw_text', 's.confidence'])
        .where('t.call_id', 'in', ids)
        .orderBy('t.call_id')
        .orderBy('s.idx')
        .execute();
      for (const r of rows) {
        let t = out.get(r.call_id);
        if (!t) out.set(r.call_id, (t = { callId: r.call_id, engine: r.engine, language: r.language, segments: [] }));
        if (r.idx === null) continue;
        t.segments.push({
          index: r.idx,
          speaker: r.speaker as Speaker,
          startMs: r.start_ms!,
          endMs: r.end_ms!,
          text: r.text!,
          ...(r.raw_text === null ? {} : { rawText: r.raw_text }),
          ...(r.confidence === null ? {} : { confidence: r.confidence }),
        });
      }
    }
    return out;
  }
}
