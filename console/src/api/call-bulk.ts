import type { z } from 'zod';
import type { accountSchema } from '../../../src/http/routes/account-schemas';
import { get, post, put } from './client';
import type { StoredCall } from './call-list';
import type { ReinspectionJob } from './rule-sets';

/** Queue a re-inspection of these calls with the newest published rule set version. */
export const queueReinspection = (callIds: string[]) => post<ReinspectionJob>('/api/v1/reinspections', { filter: { callIds } });

/** Someone calls can be assigned to (GET /api/v1/inspectors: these fields of an account, accountSchema in src/http/routes/account-schemas.ts). */
export type Inspector = Pick<z.infer<typeof accountSchema>, 'id' | 'username' | 'displayName'>;
export const fetchInspectors = (signal?: AbortSignal) => get<{ items: Inspector[] }>('/api/v1/inspectors', undefined, signal);
export const assignCall = (callId: string, userId: string) => put<{ assignees: string[] }>(`/api/v1/calls/${encodeURIComponent(callId)}/assignees/${encodeURIComponent(userId)}`);

/** Run a failed call again from the stage that failed. */
export const retryCall = (callId: string) => post<StoredCall>(`/api/v1/calls/${encodeURIComponent(callId)}/retry`);

/**
 * An export request (POST /api/v1/exports): pending until someone else approves it. Only the fields
 * shown here; a copy, as exportSchema in src/http/routes/export-routes.ts is not exported.
 */
export interface ExportRequest {
  id: string;
  kind: 'audio' | 'transcripts' | 'report';
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
  calls: number;
}
export const requestTranscriptExport = (callIds: string[], reason: string) =>
  post<{ export: ExportRequest; download: { url: string; expiresAt: string } | null }>('/api/v1/exports', { kind: 'transcripts', reason, callIds });
