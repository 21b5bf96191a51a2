import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';

/**
 * A rule module as the YAML text people edit, and the edits the form makes to it. The text is
 * the one truth: the form reads the parsed value and writes through the YAML document (comments,
 * anchors and layout elsewhere kept), so form and editor never disagree.
 */
export type Path = ReadonlyArray<string | number>;

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/** A stored module (JSON) as YAML laid out like the templates: short lists and small maps on one line. */
export function moduleToYaml(module: unknown): string {
  const doc = new Document(module);
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
    Map(_, node) {
      const simple = node.items.every((p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.every((i) => isScalar(i))));
      if (simple && JSON.stringify(node.toJSON()).length < 90) node.flow = true;
    },
  });
  return doc.toString(TO_STRING);
}

export interface LocalProblem {
  line: number;
  column: number;
  message: string;
}

export interface ParsedModule {
  doc: Document;
  lines: LineCounter;
  /** The module as data; undefined when the text does not parse. */
  value: Record<string, unknown> | undefined;
  /** Syntax errors (the server reports the same ones with the same lines). */
  syntax: LocalProblem[];
}

export function parseModule(text: string): ParsedModule {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const syntax = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return { line: pos.line, column: pos.col, message: e.message.split('\n')[0]! };
  });
  let value: Record<string, unknown> | undefined;
  if (syntax.length === 0) {
    try {
      const v: unknown = doc.toJS({ maxAliasCount: 100 });
      value = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch (e) {
      syntax.push({ line: 1, column: 1, message: (e as Error).message });
    }
  }
  return { doc, lines, value, syntax };
}

/** `rules[3].when.keywords` → ['rules', 3, 'when', 'keywords']. */
export function parsePath(path: string): Path {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The YAML node at a path, walking collections only (undefined through an alias or a missing key). */
export function nodeAt(doc: Document, path: Path): Node | Alias | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isMap(node)) node = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg)?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
  }
  return (node ?? undefined) as Node | Alias | undefined;
}

/**
 * Where a path points in the text, as the server locates its problems: the node it names, or the
 * deepest part of it that is there (a missing field: its parent).
 */
export function locate(parsed: ParsedModule, path: Path): { line: number; column: number } {
  const at = (node: Node | null | undefined) => (node?.range ? parsed.lines.linePos(node.range[0]) : null);
  for (let n = path.length; n > 0; n--) {
    const parent = nodeAt(parsed.doc, path.slice(0, n - 1));
    const key = path[n - 1];
    const node = isMap(parent)
      ? (parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)?.key as Node | undefined)
      : isSeq(parent) && typeof key === 'number'
        ? (parent.items[key] as Node | undefined)
        : undefined;
    const pos = at(node);
    if (pos) return { line: pos.line, column: pos.col };
  }
  const pos = at(parsed.doc.contents as Node | null);
  return pos ? { line: pos.line, column: pos.col } : { line: 1, column: 1 };
}

/** The first line of a rule in the text (for scrolling the editor to it). */
export function ruleLine(parsed: ParsedModule, ruleIndex: number): number | null {
  const node = nodeAt(parsed.doc, ['rules', ruleIndex]);
  return node && !isAlias(node) && node.range ? parsed.lines.linePos(node.range[0]).line : null;
}

/** An edit of the text through its YAML document; the text is returned unchanged when it does not parse. */
export function editYaml(text: string, edit: (doc: Document) => void): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) return text;
  edit(doc);
  return doc.toString(TO_STRING);
}

/** Sets a field; undefined (or '') removes it. */
export function setField(doc: Document, path: Path, value: unknown): void {
  if (value === undefined || value === '') {
    if (doc.hasIn(path)) doc.deleteIn(path);
    return;
  }
  doc.setIn(path, value);
}

/**
 * Replaces the items of a list in place, so an anchor on it (`keywords: &words [...]`) and its
 * flow style stay; a list that is not there is created on one line.
 */
export function setList(doc: Document, path: Path, items: string[]): void {
  const node = nodeAt(doc, path);
  if (isSeq(node)) {
    node.items = items.map((s) => doc.createNode(s));
    return;
  }
  const seq = doc.createNode(items);
  seq.flow = true;
  doc.setIn(path, seq);
}

/** Whether the form may write at this path: every step a collection of this document, not an alias. */
export const editable = (doc: Document, path: Path): boolean => {
  const node = nodeAt(doc, path);
  return node !== undefined && !isAlias(node);
};

/** One rule of a module as its own YAML text (its comments kept); null when it is not there. */
export function ruleText(parsed: ParsedModule, ruleIndex: number): string | null {
  const node = nodeAt(parsed.doc, ['rules', ruleIndex]);
  if (!node || isAlias(node)) return null;
  return new Document(node).toString(TO_STRING);
}

/** The module with one rule replaced by a rule's YAML text; null while that text does not parse. */
export function spliceRule(moduleText: string, ruleIndex: number, text: string): string | null {
  const rule = parseDocument(text, { uniqueKeys: true });
  if (rule.errors.length || !isMap(rule.contents)) return null;
  return editYaml(moduleText, (doc) => doc.setIn(['rules', ruleIndex], rule.contents));
}
