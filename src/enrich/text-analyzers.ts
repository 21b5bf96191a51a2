import type { Config } from '../config/config.js';
import type { TextAnalyzers } from './analyze-text.js';
import { Segmenter } from './text/segmenter.js';
import { loadUserDictionary } from './text/user-dictionary.js';
import { loadDefaultTaxonomy, loadTaxonomy } from './topics/parse-taxonomy.js';

/**
 * The text analysers of a process, built on first use from the config: the topic taxonomy and
 * the segmenter with the built-in customer-service words plus the user's dictionary. Files are
 * read once; a broken one fails the work that needs it with its file and line, not the process.
 */
export function textAnalyzersFrom(config: Pick<Config, 'topicTaxonomy' | 'userDictionary'>): () => TextAnalyzers {
  let made: TextAnalyzers | null = null;
  return () =>
    (made ??= {
      taxonomy: config.topicTaxonomy ? loadTaxonomy(config.topicTaxonomy) : loadDefaultTaxonomy(),
      segmenter: new Segmenter({ userWords: config.userDictionary ? loadUserDictionary(config.userDictionary) : [] }),
    });
}
