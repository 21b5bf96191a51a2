import type { Speaker } from '../../domain/transcript.js';

/**
 * What agents say and customers do not: greetings with a service formula, job numbers, hold
 * and closing formulas. Chinese first (our users), English alongside.
 */
const AGENT_CUES: RegExp[] = [
  /很高兴为您服务|有什么(可以|能)?(帮|为)您|请问(有什么|您)|工号|客服(专员)?|为您(查询|核实|处理|登记|申请)|请您?稍等|感谢您的(来电|耐心|等待)|还有(其他|什么)(问题|可以)|祝您生活愉快|给您带来不便/,
  /\b(thank you for calling|how (can|may) i (help|assist)|my name is \w+.{0,20}(speaking|assist)|employee (id|number)|let me (check|look)|is there anything else)\b/i,
];
const CUSTOMER_CUES: RegExp[] = [
  /我(想|要)(问|退|换|查|投诉|取消)|我的(订单|快递|包裹|账户|卡)|你们(怎么|为什么|能不能)|我(买|下单)的|投诉你们/,
  /\b(i (want|need|would like) to|my (order|package|account|card)|why (did|didn't|is) (my|your))\b/i,
];

const score = (text: string, cues: RegExp[]) => cues.reduce((n, re) => n + (re.test(text) ? 1 : 0), 0);

export interface RoleCandidate {
  speaker: Speaker;
  text: string;
  /** The diarizer's speaker label, when the channel was diarized. */
  cluster?: number;
}

/**
 * Roles for speech from a mixed mono channel, decided by what was said.
 * - Diarized (segments carry clusters): the cluster whose segments sound most like an agent is
 *   the agent, the other the customer; when the cues do not tell them apart, roles stay unknown.
 * - Not diarized: only a segment that itself carries a cue gets a role; the rest stay unknown.
 *   That is the honest limit of text alone: a mono call without a diarization model keeps most
 *   of its turns unattributed, and per-speaker signals are computed from the attributed ones.
 * Segments that already have a role keep it. Pure.
 * @example assignRolesByContent([{ speaker: 'unknown', text: '您好很高兴为您服务', cluster: 0 }, { speaker: 'unknown', text: '我想退货', cluster: 1 }]).map((s) => s.speaker) // ['agent', 'customer']
 */
export function assignRolesByContent<T extends RoleCandidate>(segments: T[]): T[] {
  const clusters = new Map<number, number>();
  for (const s of segments) {
    if (s.speaker !== 'unknown' || s.cluster === undefined) continue;
    clusters.set(s.cluster, (clusters.get(s.cluster) ?? 0) + score(s.text, AGENT_CUES) - score(s.text, CUSTOMER_CUES));
  }
  const ranked = [...clusters.entries()].sort((a, b) => b[1] - a[1]);
  const agentCluster = ranked.length >= 2 && ranked[0]![1] > ranked[1]![1] ? ranked[0]![0] : ranked.length === 1 && ranked[0]![1] > 0 ? ranked[0]![0] : undefined;
  return segments.map((s) => {
    if (s.speaker !== 'unknown') return s;
    if (s.cluster !== undefined) {
      if (agentCluster === undefined) return s;
      return { ...s, speaker: s.cluster === agentCluster ? 'agent' : 'customer' };
    }
    const net = score(s.text, AGENT_CUES) - score(s.text, CUSTOMER_CUES);
    return net === 0 ? s : { ...s, speaker: net > 0 ? 'agent' : 'customer' };
  });
}
