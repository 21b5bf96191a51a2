import { readFileSync } from 'node:fs';
import { TingjianError } from '../../domain/errors.js';
import { packageFolder } from '../../platform/package-path.js';
import { formatProblems, parseLocatedYaml } from '../../rules/language/parse-located-yaml.js';
import type { RuleFileError } from '../../rules/language/parse-rule-files.js';
import { speakerWeightsSchema, taxonomySchema, topicSchema, type Taxonomy } from './taxonomy.js';

/** Problems are reported like rule files': `default.yaml:12:7 topics[3].keywords[0]: …`. */
export type TaxonomyError = RuleFileError;

const invalidTaxonomy = (errors: TaxonomyError[]) => new TingjianError('INVALID_RULES', `the topic taxonomy has ${formatProblems(errors)}`, { errors });

/** The fields allowed where an unknown one was found, for its message. */
function allowedFields(parent: ReadonlyArray<string | number>): string[] {
  if (parent.length === 0) return Object.keys(taxonomySchema.shape);
  return Object.keys(parent[0] === 'topics' ? topicSchema.shape : speakerWeightsSchema.shape);
}

/**
 * A taxonomy from YAML (or JSON) text, validated; throws INVALID_RULES listing every problem
 * with the file, the path and the line.
 * @example parseTaxonomy(readFileSync('topics.yaml', 'utf8'), 'topics.yaml')
 */
export function parseTaxonomy(text: string, name = 'taxonomy'): Taxonomy {
  const parsed = parseLocatedYaml(text, name, taxonomySchema, { allowedFields });
  if ('errors' in parsed) throw invalidTaxonomy(parsed.errors);
  return parsed.value;
}

export function loadTaxonomy(file: string): Taxonomy {
  return parseTaxonomy(readFileSync(file, 'utf8'), file);
}

/** templates/topics/default.yaml, found from src/ or dist/. */
export const defaultTaxonomyFile = (): string => `${packageFolder('templates/topics', import.meta.url)}/default.yaml`;

export const loadDefaultTaxonomy = (): Taxonomy => loadTaxonomy(defaultTaxonomyFile());
