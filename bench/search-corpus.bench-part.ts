import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TranscriptSegment } from '../src/domain/transcript.js';
import { seededRandom } from '../src/enrich/topics/seeded-random.js';
import type { SearchDoc } from '../src/ports/repositories.js';

/**
 * Part of bench:search: the generated corpus. Calls of ~20 utterances whose sentences are one or
 * two clauses of real customer-service dialogue (the JDDC utterances of ../shared/data, split at
 * punctuation and recombined, so a million calls do not repeat a few thousand sentences verbatim;
 * the bundled sample calls when JDDC is absent), JDDC's anonymisation placeholders ([数字],
 * [订单编号] …) filled with random values, and random agents, teams, business lines, times over a
 * year (in time order, as calls arrive), scores, rule hits, topics and sentiment. Seeded: the
 * same calls every run.
 */

export interface Corpus {
  agent: string[];
  customer: string[];
  source: string;
}

const CLAUSE_END = /[，。？！,?!；;~～]+/;

export function loadCorpus(jddcFile: string, root: string): Corpus {
  const agent: string[] = [];
  const customer: string[] = [];
  const add = (pool: string[], utterance: string) => {
    for (const c of utterance.split(CLAUSE_END)) if (c.trim().length >= 2) pool.push(c.trim());
  };
  if (existsSync(jddcFile)) {
    for (const line of readFileSync(jddcFile, 'utf8').split('\n')) {
      for (const m of line.matchAll(/(用户|客服):([^]*?)(?=(?:用户|客服):|$)/g)) add(m[1] === '客服' ? agent : customer, m[2]!);
    }
    return { agent, customer, source: `JDDC clauses (${jddcFile})` };
  }
  const dir = path.join(root, 'samples/calls');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    for (const s of (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { segments: TranscriptSegment[] }).segments) add(s.speaker === 'agent' ? agent : customer, s.text);
  }
  return { agent, customer, source: 'bundled sample calls (JDDC not found)' };
}

export const BUSINESS_LINES = ['电商客服', '物流', '金融', '电信', '售后'];
export const AGENTS = 500;
export const TEAMS = 50;
const TOPICS = ['logistics-delay', 'refund-return', 'complaint', 'invoice', 'account-security', 'price-protection', 'installation', 'warranty', 'payment', 'membership'];
/** Rules hit unevenly (rule-0 in about a fifth of the calls, rule-59 in a few per thousand), as real rule sets do. */
export const RULES = Array.from({ length: 60 }, (_, i) => `bench.rule-${i}`);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const PLACES = ['北京朝阳区', '上海浦东新区', '广州天河区', '深圳南山区', '成都武侯区', '杭州西湖区', '武汉洪山区', '南京鼓楼区'];

export const YEAR_MS = 365 * 24 * 3600 * 1000;

/** One generated call: the row the calls table needs, its transcript sentences and its search document. */
export interface BenchCall {
  id: string;
  at: number;
  agentId: string;
  teamId: string;
  businessLine: string;
  segments: string[];
  doc: SearchDoc;
}

/**
 * A generator of calls 0, 1, 2 … of `n`, in time order over a year from `start` (called in that
 * order: the same seed and corpus give the same calls). Documents come without tokens: the bench
 * times tokenising on its own.
 */
export function callGenerator(corpus: Corpus, n: number, start: number, seed = 20251126) {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const digits = (len: number) => Array.from({ length: len }, () => Math.floor(rand() * 10)).join('');
  const fill = (s: string) =>
    s.replace(/\[([^\]]*)\]?/g, (_, what: string) => {
      if (what.startsWith('订单编号')) return digits(11);
      if (what === '金额' || what.startsWith('价保金额')) return `${Math.floor(rand() * 2000)}.${digits(2)}元`;
      if (what === '电话') return `138****${digits(4)}`;
      if (what === '姓名') return `${pick([...SURNAMES])}先生`;
      if (what === '日期') return `${1 + Math.floor(rand() * 12)}月${1 + Math.floor(rand() * 28)}日`;
      if (what === '时间') return `${8 + Math.floor(rand() * 12)}点`;
      if (what === '地址' || what === '站点') return pick(PLACES);
      if (what === '数字') return digits(1 + Math.floor(rand() * 3));
      return '';
    });
  const sentence = (pool: string[]) => {
    const s = fill(pick(pool)) + (rand() < 0.5 ? `，${fill(pick(pool))}` : '');
    return s + (rand() < 0.2 ? '？' : '。');
  };
  return (i: number): BenchCall => {
    const at = start + Math.floor((i / n) * YEAR_MS) + Math.floor(rand() * 1000);
    const utterances = 16 + Math.floor(rand() * 9);
    const segments = Array.from({ length: utterances }, (_, k) => sentence(k % 2 === 0 || rand() < 0.2 ? corpus.agent : corpus.customer));
    const agent = Math.floor(rand() * AGENTS);
    const sentiment = rand() < 0.9 ? Math.round((rand() * 2 - 1) * 100) / 100 : null;
    const scored = rand() < 0.9;
    const id = `bench-${i}`;
    const call = { id, at, agentId: `A${1000 + agent}`, teamId: `T${agent % TEAMS}`, businessLine: BUSINESS_LINES[agent % BUSINESS_LINES.length]!, segments };
    return {
      ...call,
      doc: {
        callId: id,
        externalId: null,
        at,
        agentId: call.agentId,
        teamId: call.teamId,
        businessLine: call.businessLine,
        channel: rand() < 0.7 ? 'phone' : 'chat',
        ruleSetVersion: scored ? 1 : null,
        scorePercent: scored ? Math.round(rand() * 1000) / 10 : null,
        ruleIds: scored ? [...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => RULES[Math.floor(RULES.length * rand() ** 8)]!))] : [],
        customerSentiment: sentiment,
        sentimentLabel: sentiment === null ? null : sentiment < -0.3 ? 'negative' : sentiment > 0.3 ? 'positive' : 'neutral',
        topics: [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(TOPICS)))],
        tokens: [],
      },
    };
  };
}
