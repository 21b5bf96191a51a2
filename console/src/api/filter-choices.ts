import type { z } from 'zod';
import type { topicListSchema } from '../../../src/http/routes/topic.schema';
import type { RuleDef, RuleModule, ScorecardDef } from '../../../src/rules/language/rule-module';
import { get } from './client';

/**
 * The published rule set as GET /api/v1/rule-sets/published serves it (only what filters need):
 * the fields of the rule language's types (src/rules/language/rule-module.ts). The route's schema
 * promises only a module's id and name, so the rest stays optional here. `version` is a copy
 * (versionSchema in src/http/routes/rule-set-routes.ts is not exported).
 */
export interface PublishedRuleSet {
  version: number;
  document: {
    modules: Array<
      Pick<RuleModule, 'module' | 'name'> & {
        rules?: Array<Pick<RuleDef, 'id'> & Partial<Pick<RuleDef, 'name'>>>;
        scorecards?: Array<Pick<ScorecardDef, 'bands'>>;
      }
    >;
  };
}

export interface Choice {
  value: string;
  label: string;
}

/** The bands a scorecard has when it names none (src/rules/language/rule-module.ts DEFAULT_BANDS). */
export const DEFAULT_BAND_NAMES = ['优秀', '良好', '合格', '不合格'];

export const fetchPublishedRuleSet = (signal?: AbortSignal) => get<PublishedRuleSet>('/api/v1/rule-sets/published', undefined, signal);

/** Rule ids as inspections name them (<module>.<rule>) with their names; and every band name. */
export function ruleChoices(rs: PublishedRuleSet): { rules: Choice[]; bands: string[] } {
  const rules: Choice[] = [];
  const bands = new Set<string>();
  for (const m of rs.document.modules) {
    for (const r of m.rules ?? []) rules.push({ value: `${m.module}.${r.id}`, label: `${r.name ?? r.id} · ${m.name}` });
    for (const s of m.scorecards ?? []) for (const b of s.bands ?? DEFAULT_BAND_NAMES.map((name) => ({ name, min: 0 }))) bands.add(b.name);
  }
  return { rules, bands: bands.size ? [...bands] : DEFAULT_BAND_NAMES };
}

/** A topic of GET /api/v1/topics (src/http/routes/topic.schema.ts). */
export type Topic = z.infer<typeof topicListSchema>['items'][number];

/** GET /api/v1/topics: the topic taxonomy. */
export const fetchTopics = (signal?: AbortSignal) => get<{ items: Topic[] }>('/api/v1/topics', undefined, signal);
