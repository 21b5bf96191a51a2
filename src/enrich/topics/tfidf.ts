/** A sparse vector: term ids ascending, weights aligned, L2 norm 1 (or empty). */
export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

export interface TfIdfOptions {
  /** Terms in fewer documents are dropped: a word said once labels nothing. */
  minDocumentFrequency: number;
  /** Terms in more than this share of documents are dropped: they are in every cluster. */
  maxDocumentShare: number;
}

export interface TfIdf {
  /** Term of each id, sorted (ids follow the order of the terms, so the vectors do not depend on input order). */
  terms: string[];
  idf: Float64Array;
  vectors: SparseVector[];
}

/**
 * TF-IDF vectors of tokenised documents: (1 + ln tf) · ln(N / df), normalised to length 1 so a
 * dot product is the cosine. Sublinear tf because a customer repeating 退款 three times is one
 * topic said louder, not three topics.
 */
export function tfIdf(docs: ReadonlyArray<readonly string[]>, opts: TfIdfOptions): TfIdf {
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const maxDf = Math.max(1, Math.floor(opts.maxDocumentShare * docs.length));
  const terms = [...df].filter(([, n]) => n >= opts.minDocumentFrequency && n <= maxDf).map(([t]) => t).sort();
  const id = new Map(terms.map((t, i) => [t, i]));
  const idf = Float64Array.from(terms, (t) => Math.log(docs.length / df.get(t)!));
  const vectors = docs.map((doc) => {
    const tf = new Map<number, number>();
    for (const t of doc) {
      const i = id.get(t);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    const ids = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
    const weights = Float64Array.from(ids, (i) => (1 + Math.log(tf.get(i)!)) * idf[i]!);
    const norm = Math.hypot(...weights);
    if (norm > 0) for (let k = 0; k < weights.length; k++) weights[k]! /= norm;
    return { ids, weights };
  });
  return { terms, idf, vectors };
}

/** Cosine of a unit sparse vector and a unit dense one. */
export function dot(v: SparseVector, dense: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.ids.length; k++) s += v.weights[k]! * dense[v.ids[k]!]!;
  return s;
}
