import type { z } from 'zod';
import type { callFilterSchema, jobSchema } from '../../../src/http/routes/reinspection.schema';
import type { dryRunReportSchema, summarySchema, versionInfoSchema, versionSchema } from '../../../src/http/routes/rule-set.schema';
import type { RuleFileError } from '../../../src/rules/language/parse-rule-files';
import type { Evidence } from './call-detail';
import { api, get, post } from './client';

/**
 * Rule set versions, validation, dry runs and re-inspections (src/http/routes/rule-set-routes.ts,
 * reinspection-routes.ts). A module is the rule language's file (docs/rules.md): kept loose here,
 * the page reads it through rule-model.ts.
 *
 * The response types come from the routes' schemas (src/http/routes/rule-set.schema.ts and
 * reinspection.schema.ts).
 */
export type RuleSetVersionInfo = z.infer<typeof versionInfoSchema>;
export type RuleSetVersion = z.infer<typeof versionSchema>;
export type RuleModuleJson = RuleSetVersion['document']['modules'][number];
export type RuleSetSummary = z.infer<typeof summarySchema>;

/** One problem of INVALID_RULES (error.details.errors): line and column only for text bodies. */
export type { RuleFileError };

/** Which stored calls a dry run or re-inspection covers; every field given must match. */
export type CallFilter = z.input<typeof callFilterSchema>;

/** A dry run's evidence is the inspection's (rule-set-routes.ts takes it from inspectionSchema). */
export type { Evidence };

export type DryRunReport = z.infer<typeof dryRunReportSchema>;
export type DryRunRule = DryRunReport['rules'][number];

/** A re-inspection job as GET /api/v1/reinspections/:id sends it. */
export type ReinspectionJob = z.infer<typeof jobSchema>;

const BASE = '/api/v1/rule-sets';

export const listVersions = (signal?: AbortSignal) => get<{ items: RuleSetVersionInfo[] }>(`${BASE}/versions`, undefined, signal);
export const fetchVersion = (version: number, signal?: AbortSignal) => get<RuleSetVersion>(`${BASE}/versions/${version}`, undefined, signal);

/** One module as YAML text, checked as publishing it over the published version would: problems carry lines. */
export const validateModuleYaml = (yamlText: string, signal?: AbortSignal) =>
  api<{ valid: true; summary: RuleSetSummary }>('POST', `${BASE}/validate`, { text: { body: yamlText, contentType: 'application/yaml' }, signal });

/** Dry run of the whole candidate set (replaceAll) over stored calls; nothing is stored. */
export const dryRun = (modules: unknown[], opts: { filter?: CallFilter; limit?: number }, signal?: AbortSignal) =>
  api<DryRunReport>('POST', `${BASE}/test`, { body: { modules, replaceAll: true, ...opts }, signal });

/** Stores the modules as the whole set of a new draft version. */
export const createVersion = (modules: unknown[], note: string) =>
  post<RuleSetVersionInfo & { summary: RuleSetSummary }>(`${BASE}/versions`, { modules, ...(note ? { note } : {}) }, { replaceAll: true });

export const publishVersion = (version: number) => post<RuleSetVersionInfo>(`${BASE}/versions/${version}/publish`);

export const startReinspection = (version: number, filter?: CallFilter) => post<ReinspectionJob>('/api/v1/reinspections', { version, ...(filter ? { filter } : {}) });
export const fetchReinspection = (id: number, signal?: AbortSignal) => get<ReinspectionJob>(`/api/v1/reinspections/${id}`, undefined, signal);

/** The located problems of an INVALID_RULES answer, or null for any other error. */
export function ruleErrorsOf(e: unknown): RuleFileError[] | null {
  const details = (e as { code?: string; details?: { errors?: RuleFileError[] } } | null)?.details;
  return (e as { code?: string } | null)?.code === 'INVALID_RULES' && Array.isArray(details?.errors) ? details.errors : null;
}
