import { randomUUID } from 'node:crypto';
import type { Call } from '../domain/call.js';
import { TingjianError, isTingjianError } from '../domain/errors.js';
import type { Recording } from '../domain/recording.js';
import type { Speaker } from '../domain/transcript.js';
import { initialStages } from '../pipeline/stages.js';
import { blobKeyFor, type BlobStore, type StagedBlob } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { assertBlobKept, waitWhileBlobIsDeleted } from '../retention/blob-reuse.js';
import { probeAudioFile, type AudioProbe } from './audio-probe/probe-audio.js';
import { callDurationMs, channelRolesFor } from './call-facts.js';
import { parseCallInput, type ParsedCallInput } from './parse-call-input.js';

export interface CallIngestDeps {
  db: Database;
  blobs: BlobStore;
  ffmpegPath: () => Promise<string>;
  settings: { defaultUtcOffset: string; defaultChannelRoles: Speaker[]; maxAttempts: number; maxUploadBytes: number };
  /** Called after a new call is queued, so in-process workers start at once. */
  onQueued?: () => void;
  /** Retention (src/retention): the expiry stored with each new call; in WORM mode its original locked in the store. */
  retention?: {
    /** `recordingMs`: the recording's measured length (the misdial rule must not trust the declared one alone). */
    expiryOf(call: Call & { recordingMs: number | null }): { expiresAt: number; policy: string };
    retainOriginal(callId: string): Promise<void>;
  };
}

export interface AcceptCallRequest {
  /** Metadata or transcript JSON as received; validated here. */
  input: unknown;
  /** The staged original, when the call has audio. Committed or discarded here, never leaked. */
  audio?: StagedBlob;
  originalName?: string;
}

export interface AcceptCallResult {
  call: Call;
  created: boolean;
  /** Why an existing call was returned instead of a new one. */
  matchedBy?: 'externalId' | 'sha256';
}

/**
 * Accepting a call: validate metadata, probe the audio, and — only if all of it is good — store
 * the original, the call, its provided transcript and its first job in one transaction.
 * Idempotent on externalId and on the recording's sha256: pushing the same call twice returns the
 * existing one. On any error nothing is stored (the staged bytes are discarded).
 */
export class CallIngestService {
  constructor(private readonly deps: CallIngestDeps) {}

  /** Ingest a local file (CLI, watched folder). */
  async acceptFile(filePath: string, input: unknown, originalName?: string): Promise<AcceptCallResult> {
    // stageFile, not stage() over a read stream: the adapter can copy and hash off the event loop (~3× faster).
    const audio = await this.deps.blobs.stageFile(filePath, { maxBytes: this.deps.settings.maxUploadBytes });
    return this.accept({ input, audio, ...(originalName ? { originalName } : {}) });
  }

  async accept(req: AcceptCallRequest): Promise<AcceptCallResult> {
    const { audio } = req;
    try {
      const parsed = parseCallInput(req.input, this.deps.settings);
      if (!audio && !parsed.segments) {
        throw new TingjianError('INVALID_REQUEST', 'a call needs a recording or transcript segments: attach the audio file or add "segments"');
      }
      if (!audio && parsed.segments?.length === 0) {
        throw new TingjianError('INVALID_TRANSCRIPT', 'the transcript has no segments: a transcript-only call needs at least one segment');
      }
      const probe = audio ? await probeAudioFile(audio.localPath, { ffmpegPath: this.deps.ffmpegPath }) : null;
      // Roles are checked against the recording before the duplicate lookup, so a request whose
      // channelRoles do not fit its audio is rejected every time, not answered 200 on a re-push.
      const roles = probe ? channelRolesFor(parsed.channelRoles, probe.channels, this.deps.settings.defaultChannelRoles) : null;
      const existing = await this.findExisting(parsed, audio?.sha256);
      if (existing) {
        await audio?.discard();
        // WORM: a lock that failed after the first push is set by the next (it only ever extends).
        await this.deps.retention?.retainOriginal(existing.call.id);
        return existing;
      }
      return await this.store(parsed, audio, probe, roles, req.originalName ?? null);
    } catch (e) {
      await audio?.discard();
      throw e;
    }
  }

  private async findExisting(p: ParsedCallInput, sha256: string | undefined): Promise<AcceptCallResult | null> {
    const repos = this.deps.db.repos;
    if (p.metadata.externalId) {
      const call = await repos.calls.findByExternalId(p.metadata.externalId);
      if (call) return { call, created: false, matchedBy: 'externalId' };
    }
    if (sha256) {
      const rec = await repos.recordings.findBySha256(sha256);
      const call = rec ? await repos.calls.get(rec.callId) : null;
      if (call) return { call, created: false, matchedBy: 'sha256' };
    }
    return null;
  }

  /**
   * Remove a blob this request wrote when no stored recording points at it — another request
   * with the same bytes may have committed in between, and its original must stay.
   */
  private async dropIfUnreferenced(key: string, sha256: string): Promise<void> {
    if (!(await this.deps.db.repos.recordings.findBySha256(sha256))) await this.deps.blobs.delete(key);
  }

  private async store(p: ParsedCallInput, audio: StagedBlob | undefined, probe: AudioProbe | null, roles: Speaker[] | null, originalName: string | null): Promise<AcceptCallResult> {
    const now = Date.now();
    const id = randomUUID();
    const stages = initialStages();
    stages.ingest = { status: 'queued', attempts: 0, updatedAt: now };
    const call: Call = {
      ...p.metadata,
      durationMs: callDurationMs(p.metadata.durationMs, probe?.durationMs, p.segments),
      id,
      status: 'processing',
      stages,
      createdAt: now,
      updatedAt: now,
    };
    // A deletion of a call with the same bytes may still be removing the file: wait for it, then
    // write the file afresh rather than keep one about to go (src/retention/blob-reuse.ts).
    if (audio) await waitWhileBlobIsDeleted(this.deps.db.repos.retention, blobKeyFor(audio.sha256));
    const blob = audio ? await audio.commit() : null;
    const recording: Recording | null =
      audio && probe && blob && roles
        ? { callId: id, ...probe, channelRoles: roles, sha256: audio.sha256, sizeBytes: audio.sizeBytes, blobKey: blob.key, originalName }
        : null;
    try {
      await this.deps.db.transaction(async (r) => {
        await r.calls.insert(call);
        if (this.deps.retention) {
          const { expiresAt, policy } = this.deps.retention.expiryOf({ ...call, recordingMs: recording?.durationMs ?? null });
          await r.retention.saveExpiries([{ callId: id, expiresAt, policy }], now, { neverShorten: false });
        }
        if (recording) {
          await r.recordings.insert(recording);
          await assertBlobKept(r.retention, this.deps.blobs, recording.blobKey);
        }
        if (p.segments) await r.transcripts.save({ callId: id, engine: 'provided', language: call.language, segments: p.segments });
        await r.jobs.enqueue({ callId: id, stage: 'ingest', maxAttempts: this.deps.settings.maxAttempts, runAfter: now, now });
      });
    } catch (e) {
      // Lost a race with the same call arriving at once: answer with the winner.
      const winner = isTingjianError(e) && e.code === 'CONFLICT' ? await this.findExisting(p, audio?.sha256) : null;
      if (blob?.created && audio) await this.dropIfUnreferenced(blob.key, audio.sha256);
      if (winner) return winner;
      throw e;
    }
    if (recording) await this.deps.retention?.retainOriginal(id);
    this.deps.onQueued?.();
    return { call, created: true };
  }
}
