import type { Config } from '../config/config.js';
import { TingjianError } from '../domain/errors.js';
import type { TextAnalyzers } from './analyze-text.js';
import { Segmenter } from './text/segmenter.js';
import { loadUserDictionary } from './text/user-dictionary.js';
import { loadDefaultTaxonomy, loadTaxonomy } from './topics/parse-taxonomy.js';
import type { Taxonomy } from './topics/taxonomy.js';

/**
 * The text analysers of a process from the config, each built on first use and on its own: the
 * enrich stage needs only the taxonomy, so a broken user dictionary (used by topic discovery)
 * never fails a call. `serve` touches both at start, so a broken file stops it with the file and
 * line instead of surfacing later.
 */
export function textAnalyzersFrom(config: Pick<Config, 'topicTaxonomy' | 'userDictionary'>): () => TextAnalyzers {
  let taxonomy: Taxonomy | null = null;
  let segmenter: Segmenter | null = null;
  const analyzers: TextAnalyzers = {
    get taxonomy() {
      return (taxonomy ??= config.topicTaxonomy ? readConfigured('TINGJIAN_TOPIC_TAXONOMY', config.topicTaxonomy, loadTaxonomy) : loadDefaultTaxonomy());
    },
    get segmenter() {
      return (segmenter ??= new Segmenter({ userWords: config.userDictionary ? readConfigured('TINGJIAN_USER_DICTIONARY', config.userDictionary, loadUserDictionary) : [] }));
    },
  };
  return () => analyzers;
}

/** A configured file read by `load`; a file that cannot be read is a config error naming the setting. */
function readConfigured<T>(setting: string, file: string, load: (file: string) => T): T {
  try {
    return load(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) throw new TingjianError('CONFIG_INVALID', `${setting}: cannot read ${file} (${code}); give the path of a readable file or unset it`, { setting, file });
    throw e;
  }
}
