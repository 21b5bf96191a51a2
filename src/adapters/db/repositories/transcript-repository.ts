import type { Kysely } from 'kysely';
import type { Speaker, Transcript } from '../../../domain/transcript.js';
import type { TranscriptRepository } from '../../../ports/repositories.js';
import type { DatabaseSchema } from '../schema.js';

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
    // Chunked: SQLite allows at most 32766 bound parameters per statement.
    for (let i = 0; i < t.segments.length; i += 500) {
      await this.db
        .insertInto('transcript_segments')
        .values(
          t.segments.slice(i, i + 500).map((s) => ({
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
    const head = await this.db.selectFrom('transcripts').selectAll().where('call_id', '=', callId).executeTakeFirst();
    if (!head) return null;
    const rows = await this.db.selectFrom('transcript_segments').selectAll().where('call_id', '=', callId).orderBy('idx').execute();
    return {
      callId,
      engine: head.engine,
      language: head.language,
      segments: rows.map((r) => ({
        index: r.idx,
        speaker: r.speaker as Speaker,
        startMs: r.start_ms,
        endMs: r.end_ms,
        text: r.text,
        ...(r.raw_text === null ? {} : { rawText: r.raw_text }),
        ...(r.confidence === null ? {} : { confidence: r.confidence }),
      })),
    };
  }
}
