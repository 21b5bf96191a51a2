import type { Config } from '../config/config.js';
import type { TextAnalyzers } from './analyze-text.js';
import { loadDefaultTaxonomy, loadTaxonomy } from './topics/parse-taxonomy.js';

/**
 * The text analysers of a process, built on first use from the config (the taxonomy file is read
 * once; a broken one fails the enrich stage with its file and line, not the process at start).
 */
export function textAnalyzersFrom(config: Pick<Config, 'topicTaxonomy'>): () => TextAnalyzers {
  let made: TextAnalyzers | null = null;
  return () => (made ??= { taxonomy: config.topicTaxonomy ? loadTaxonomy(config.topicTaxonomy) : loadDefaultTaxonomy() });
}
