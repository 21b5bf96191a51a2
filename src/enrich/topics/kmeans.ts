import { seededRandom } from './seeded-random.js';
import { dot, type SparseVector } from './tfidf.js';

export interface KMeansResult {
  /** Cluster of each vector (−1 for an empty vector). */
  assignment: Int32Array;
  /** Unit centroids, dense over the vocabulary. */
  centroids: Float64Array[];
  /** Each vector's cosine to its centroid (0 for an empty vector). */
  similarity: Float64Array;
}

/** The unit-length mean of some vectors: a cluster's centroid. */
export function unitMean(vectors: readonly SparseVector[], members: number[], dims: number): Float64Array {
  const c = new Float64Array(dims);
  for (const m of members) {
    const v = vectors[m]!;
    for (let k = 0; k < v.ids.length; k++) c[v.ids[k]!]! += v.weights[k]!;
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += c[i]! * c[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dims; i++) c[i]! /= norm;
  return c;
}

const dense = (v: SparseVector, dims: number): Float64Array => {
  const c = new Float64Array(dims);
  for (let k = 0; k < v.ids.length; k++) c[v.ids[k]!] = v.weights[k]!;
  return c;
};

/**
 * Spherical k-means (cosine similarity, unit centroids) with k-means++ seeding from a seeded
 * generator: deterministic for the same vectors, k and seed. Ties go to the lower cluster. A
 * cluster left empty is re-seeded with the vector least like its own centroid, so k clusters
 * stay k as long as there are k distinct vectors.
 */
export function sphericalKMeans(vectors: readonly SparseVector[], dims: number, k: number, seed: number, restarts = 5): KMeansResult {
  // k-means finds a local optimum that depends on its seeding: the best of a few runs (highest
  // total cosine to the centroids), each seeded from the one seed, so still deterministic.
  let best: KMeansResult | null = null;
  let bestScore = -Infinity;
  for (let r = 0; r < Math.max(1, restarts); r++) {
    const run = kMeansOnce(vectors, dims, k, (seed + Math.imul(r, 0x9e3779b1)) >>> 0);
    const score = run.similarity.reduce((a, b) => a + b, 0);
    if (score > bestScore + 1e-9) [best, bestScore] = [run, score];
  }
  return best!;
}

function kMeansOnce(vectors: readonly SparseVector[], dims: number, k: number, seed: number, maxIterations = 50): KMeansResult {
  const n = vectors.length;
  const live = [...vectors.keys()].filter((i) => vectors[i]!.ids.length > 0);
  const assignment = new Int32Array(n).fill(-1);
  const similarity = new Float64Array(n);
  const centroids: Float64Array[] = [];
  if (live.length === 0) return { assignment, centroids, similarity };
  const random = seededRandom(seed);

  // k-means++: each next centre drawn with probability ∝ (1 − best cosine so far)².
  const best = new Float64Array(n).fill(-1);
  let next = live[Math.floor(random() * live.length)]!;
  while (centroids.length < Math.min(k, live.length)) {
    const c = dense(vectors[next]!, dims);
    centroids.push(c);
    let total = 0;
    for (const i of live) {
      best[i] = Math.max(best[i]!, dot(vectors[i]!, c));
      total += (1 - best[i]!) ** 2;
    }
    if (total <= 1e-12) break; // every vector equals a centre already
    let r = random() * total;
    next = live[live.length - 1]!;
    for (const i of live) {
      r -= (1 - best[i]!) ** 2;
      if (r <= 0) {
        next = i;
        break;
      }
    }
  }

  for (let iter = 0; iter < maxIterations; iter++) {
    let changed = 0;
    for (const i of live) {
      let bestC = 0;
      let bestS = -Infinity;
      centroids.forEach((c, j) => {
        const s = dot(vectors[i]!, c);
        if (s > bestS) [bestC, bestS] = [j, s];
      });
      if (assignment[i] !== bestC) changed++;
      assignment[i] = bestC;
      similarity[i] = bestS;
    }
    const members: number[][] = centroids.map(() => []);
    for (const i of live) members[assignment[i]!]!.push(i);
    members.forEach((m, j) => {
      if (m.length) centroids[j] = unitMean(vectors, m, dims);
      else {
        // The vector least like its centroid starts the empty cluster again.
        const worst = live.reduce((w, i) => (similarity[i]! < similarity[w]! ? i : w), live[0]!);
        centroids[j] = dense(vectors[worst]!, dims);
        similarity[worst] = 1;
        changed++;
      }
    });
    if (changed === 0) break;
  }
  for (const i of live) similarity[i] = dot(vectors[i]!, centroids[assignment[i]!]!);
  return { assignment, centroids, similarity };
}
