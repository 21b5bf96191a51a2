import type { Signals } from '../domain/signals.js';
import type { TextAnalysis } from '../domain/text-analysis.js';
import type { Transcript, TranscriptSegment } from '../domain/transcript.js';
import type { VoiceActivity } from '../domain/voice-activity.js';
import type { Waveform } from '../domain/waveform.js';
import type { ArtifactRepository, Database, Repositories, TranscriptRepository } from '../ports/repositories.js';
import { DataKeyCache, DataKeys } from './data-keys.js';
import { decryptField, encryptField, isEncryptedField, type MasterKeys } from './envelope.js';

/**
 * Transcripts and artifacts encrypted in the database, as decorators over the repositories: the
 * text of each segment (and what the engine heard, rawText) and every artifact body are stored
 * `enc1:<base64>` under the call's data key (src/crypto/data-keys.ts), and decrypted on read.
 * Rows stored before encryption was turned on are plaintext and read as they are. What stays
 * in the clear: a transcript's engine, language, speakers and timings; the call's metadata; the
 * inspections; the search index's tokens (docs/security.md says what and why).
 *
 * Each field is its own AES-256-GCM message whose additional data names it
 * (`<call id>/segment/<index>/text`): a value copied to another segment or call fails to decrypt.
 */
export function encryptingDatabase(inner: Database, keys: MasterKeys, cache = new DataKeyCache()): Database {
  const wrap = (repos: Repositories, shared: boolean): Repositories => {
    const dataKeys = new DataKeys(repos.dataKeys, keys, cache, shared);
    return { ...repos, transcripts: new EncryptingTranscriptRepository(repos.transcripts, dataKeys), artifacts: new EncryptingArtifactRepository(repos.artifacts, dataKeys) };
  };
  const repos = wrap(inner.repos, true);
  return {
    dialect: inner.dialect,
    repos,
    transaction: (fn) => inner.transaction((trx) => fn(wrap(trx, false))),
    migrate: () => inner.migrate(),
    close: () => inner.close(),
  };
}

const segmentContext = (callId: string, index: number, field: 'text' | 'rawText') => `${callId}/segment/${index}/${field}`;

export class EncryptingTranscriptRepository implements TranscriptRepository {
  constructor(
    private readonly inner: TranscriptRepository,
    private readonly keys: DataKeys,
  ) {}

  async save(t: Transcript): Promise<void> {
    const key = await this.keys.forWrite(t.callId);
    const seal = (s: TranscriptSegment, field: 'text' | 'rawText', text: string) => encryptField(key, text, segmentContext(t.callId, s.index, field));
    await this.inner.save({
      ...t,
      segments: t.segments.map((s) => ({ ...s, text: seal(s, 'text', s.text), ...(s.rawText === undefined ? {} : { rawText: seal(s, 'rawText', s.rawText) }) })),
    });
  }

  async get(callId: string): Promise<Transcript | null> {
    return (await this.getMany([callId])).get(callId) ?? null;
  }

  /** One data key query for the batch (none when all keys are cached), then a decryption per field. */
  async getMany(callIds: string[]): Promise<Map<string, Transcript>> {
    const found = await this.inner.getMany(callIds);
    const encrypted = [...found.values()].filter((t) => t.segments.some((s) => isEncryptedField(s.text))).map((t) => t.callId);
    if (encrypted.length === 0) return found;
    const keys = await this.keys.forEncrypted(encrypted);
    for (const t of found.values()) {
      const key = keys.get(t.callId);
      if (!key) continue;
      for (const s of t.segments) {
        if (isEncryptedField(s.text)) s.text = decryptField(key, s.text, segmentContext(t.callId, s.index, 'text'));
        if (s.rawText !== undefined && isEncryptedField(s.rawText)) s.rawText = decryptField(key, s.rawText, segmentContext(t.callId, s.index, 'rawText'));
      }
    }
    return found;
  }
}

type Kind = 'voice-activity' | 'signals' | 'text-analysis' | 'waveform';

/**
 * Artifact bodies go to the inner repository as one encrypted string (stored as a JSON string:
 * the inner repository keeps serialising whatever it is given); a body read back that is not such
 * a string is a plaintext row from before encryption.
 */
export class EncryptingArtifactRepository implements ArtifactRepository {
  constructor(
    private readonly inner: ArtifactRepository,
    private readonly keys: DataKeys,
  ) {}

  private async seal<T>(callId: string, kind: Kind, body: T): Promise<T> {
    const key = await this.keys.forWrite(callId);
    return encryptField(key, JSON.stringify(body), `${callId}/artifact/${kind}`) as unknown as T;
  }

  private async open<T>(kind: Kind, bodies: Map<string, T>): Promise<Map<string, T>> {
    const sealed = (v: unknown): v is string => typeof v === 'string' && isEncryptedField(v);
    const encrypted = [...bodies].filter(([, v]) => sealed(v)).map(([id]) => id);
    if (encrypted.length === 0) return bodies;
    const keys = await this.keys.forEncrypted(encrypted);
    for (const [id, v] of bodies) if (sealed(v)) bodies.set(id, JSON.parse(decryptField(keys.get(id)!, v, `${id}/artifact/${kind}`)) as T);
    return bodies;
  }

  private async openOne<T>(callId: string, kind: Kind, body: T | null): Promise<T | null> {
    return body === null ? null : ((await this.open(kind, new Map([[callId, body]]))).get(callId) ?? null);
  }

  saveVoiceActivity = async (callId: string, a: VoiceActivity, at: number) => this.inner.saveVoiceActivity(callId, await this.seal(callId, 'voice-activity', a), at);
  getVoiceActivity = async (callId: string) => this.openOne(callId, 'voice-activity', await this.inner.getVoiceActivity(callId));
  saveSignals = async (callId: string, s: Signals, at: number) => this.inner.saveSignals(callId, await this.seal(callId, 'signals', s), at);
  getSignals = async (callId: string) => this.openOne(callId, 'signals', await this.inner.getSignals(callId));
  getSignalsMany = async (callIds: string[]) => this.open('signals', await this.inner.getSignalsMany(callIds));
  saveTextAnalysis = async (callId: string, t: TextAnalysis, at: number) => this.inner.saveTextAnalysis(callId, await this.seal(callId, 'text-analysis', t), at);
  getTextAnalysis = async (callId: string) => this.openOne(callId, 'text-analysis', await this.inner.getTextAnalysis(callId));
  getTextAnalysisMany = async (callIds: string[]) => this.open('text-analysis', await this.inner.getTextAnalysisMany(callIds));
  saveWaveform = async (callId: string, w: Waveform, at: number) => this.inner.saveWaveform(callId, await this.seal(callId, 'waveform', w), at);
  getWaveform = async (callId: string) => this.openOne(callId, 'waveform', await this.inner.getWaveform(callId));
}
