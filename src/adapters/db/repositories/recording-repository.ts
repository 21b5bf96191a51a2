import type { Kysely, Selectable } from 'kysely';
import type { Recording } from '../../../domain/recording.js';
import type { Speaker } from '../../../domain/transcript.js';
import type { RecordingRepository } from '../../../ports/repositories.js';
import type { DatabaseSchema, RecordingsTable } from '../schema.js';

const toRecording = (r: Selectable<RecordingsTable>): Recording => ({
  callId: r.call_id,
  format: r.format as Recording['format'],
  codec: r.codec,
  sampleRate: r.sample_rate,
  channels: r.channels,
  channelRoles: JSON.parse(r.channel_roles) as Speaker[],
  durationMs: r.duration_ms,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  blobKey: r.blob_key,
  originalName: r.original_name,
});

export class KyselyRecordingRepository implements RecordingRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insert(r: Recording): Promise<void> {
    await this.db
      .insertInto('recordings')
      .values({
        call_id: r.callId,
        format: r.format,
        codec: r.codec,
        sample_rate: r.sampleRate,
        channels: r.channels,
        channel_roles: JSON.stringify(r.channelRoles),
        duration_ms: r.durationMs,
        sha256: r.sha256,
        size_bytes: r.sizeBytes,
        blob_key: r.blobKey,
        original_name: r.originalName,
      })
      .execute();
  }

  async getByCallId(callId: string): Promise<Recording | null> {
    const r = await this.db.selectFrom('recordings').selectAll().where('call_id', '=', callId).executeTakeFirst();
    return r ? toRecording(r) : null;
  }

  async findBySha256(sha256: string): Promise<Recording | null> {
    const r = await this.db.selectFrom('recordings').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    return r ? toRecording(r) : null;
  }

  async listAfter(afterCallId: string | null, limit: number): Promise<Recording[]> {
    let q = this.db.selectFrom('recordings').selectAll();
    if (afterCallId !== null) q = q.where('call_id', '>', afterCallId);
    return (await q.orderBy('call_id').limit(limit).execute()).map(toRecording);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('recordings').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
