import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { formatRuleFileError, pathString, type RuleFileError } from './parse-rule-files.js';

type Path = ReadonlyArray<string | number>;

/**
 * Where a path points in the document: the node it names, or for a path that is not there (a
 * missing field) the deepest node that is; a key named last (an unknown field) points at the key.
 */
function offsetOf(doc: Document, path: Path): number | null {
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
 * A YAML (or JSON) file people edit, validated by a strict zod schema, with every problem located
 * at its file, path and line: syntax errors, aliases expanding too far, each schema issue — and
 * each unknown field at its key, naming the fields `allowedFields(parent path)` allows there.
 * The caller words the error (formatProblems).
 */
export function parseLocatedYaml<T>(
  text: string,
  name: string,
  schema: z.ZodType<T>,
  opts: { allowedFields: (parent: Path) => string[]; messageOf?: (issue: z.core.$ZodIssue) => string },
): { value: T } | { errors: RuleFileError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | null) => (offset === null ? { line: null, column: null } : { line: lineCounter.linePos(offset).line, column: lineCounter.linePos(offset).col });
  if (doc.errors.length) return { errors: doc.errors.map((e) => ({ file: name, path: '', ...at(e.pos[0]), message: e.message.split('\n')[0]! })) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // e.g. an alias expanding too far ("billion laughs"): the file's problem, not a crash.
    return { errors: [{ file: name, path: '', line: null, column: null, message: `cannot be read: ${(e as Error).message}` }] };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { value: parsed.data };
  return {
    errors: parsed.error.issues.flatMap((issue) => {
      const base = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      // One error per unknown field, at the field, naming the ones allowed.
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
      const message = issue.code === 'unrecognized_keys' ? `unknown field; allowed: ${opts.allowedFields(base).join(', ')}` : (opts.messageOf?.(issue) ?? issue.message);
      return paths.map((p) => ({ file: name, path: pathString(p), ...at(offsetOf(doc, p)), message }));
    }),
  };
}

/** `3 problems:\n<file:line:col path: message>…`, at most 20 listed. */
export function formatProblems(errors: RuleFileError[]): string {
  const lines = errors.slice(0, 20).map(formatRuleFileError).join('\n');
  const more = errors.length > 20 ? `\n… and ${errors.length - 20} more` : '';
  return `${errors.length} problem${errors.length > 1 ? 's' : ''}:\n${lines}${more}`;
}
