import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { TingjianError } from '../../domain/errors.js';
import { packageFolder } from '../../platform/package-path.js';
import { formatRuleFileError, pathString, type RuleFileError } from '../../rules/language/parse-rule-files.js';
import { speakerWeightsSchema, taxonomySchema, topicSchema, type Taxonomy } from './taxonomy.js';

/** Problems are reported like rule files': `default.yaml:12:7 topics[3].keywords[0]: …`. */
export type TaxonomyError = RuleFileError;

function invalidTaxonomy(errors: TaxonomyError[]): TingjianError {
  const lines = errors.slice(0, 20).map(formatRuleFileError).join('\n');
  const more = errors.length > 20 ? `\n… and ${errors.length - 20} more` : '';
  return new TingjianError('INVALID_RULES', `the topic taxonomy has ${errors.length} problem${errors.length > 1 ? 's' : ''}:\n${lines}${more}`, { errors });
}

/** The fields allowed where an unknown one was found, for its message. */
function allowedFields(parent: ReadonlyArray<string | number>): string[] {
  if (parent.length === 0) return Object.keys(taxonomySchema.shape);
  return Object.keys(parent[0] === 'topics' ? topicSchema.shape : speakerWeightsSchema.shape);
}

/**
 * Where a path points in the document: the node it names, or for a path that is not there (a
 * missing field) the deepest node that is; a key named last (an unknown field) points at the key.
 */
function offsetOf(doc: Document, path: ReadonlyArray<string | number>): number | null {
  for (let n = path.length; n > 0; n--) {
    const parent = doc.getIn(path.slice(0, n - 1), true);
    const key = path[n - 1];
    const node = isMap(parent)
      ? (parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)?.key as Node | undefined)
      : isSeq(parent) && typeof key === 'number'
        ? (parent.items[key] as Node | undefined)
        : undefined;
    if (node?.range) return node.range[0];
  }
  return (doc.contents as Node | null)?.range?.[0] ?? null;
}

/**
 * A taxonomy from YAML (or JSON) text, validated; throws INVALID_RULES listing every problem
 * with the file, the path and the line.
 * @example parseTaxonomy(readFileSync('topics.yaml', 'utf8'), 'topics.yaml')
 */
export function parseTaxonomy(text: string, name = 'taxonomy'): Taxonomy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | null) => (offset === null ? { line: null, column: null } : { line: lineCounter.linePos(offset).line, column: lineCounter.linePos(offset).col });
  if (doc.errors.length) throw invalidTaxonomy(doc.errors.map((e) => ({ file: name, path: '', ...at(e.pos[0]), message: e.message.split('\n')[0]! })));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw invalidTaxonomy([{ file: name, path: '', line: null, column: null, message: `cannot be read: ${(e as Error).message}` }]);
  }
  const parsed = taxonomySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidTaxonomy(
    parsed.error.issues.flatMap((issue) => {
      const base = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      // One error per unknown field, at the field, naming the ones allowed.
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
      return paths.map((p) => ({ file: name, path: pathString(p), ...at(offsetOf(doc, p)), message: issue.code === 'unrecognized_keys' ? `unknown field; allowed: ${allowedFields(base).join(', ')}` : issue.message }));
    }),
  );
}

export function loadTaxonomy(file: string): Taxonomy {
  return parseTaxonomy(readFileSync(file, 'utf8'), file);
}

/** templates/topics/default.yaml, found from src/ or dist/. */
export const defaultTaxonomyFile = (): string => `${packageFolder('templates/topics', import.meta.url)}/default.yaml`;

export const loadDefaultTaxonomy = (): Taxonomy => loadTaxonomy(defaultTaxonomyFile());
