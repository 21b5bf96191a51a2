/**
 * Which kind of number a masked mention is, from the words around it (kept simple on purpose):
 * 身份证/证件 in the clause before it → idCard; else 卡 before it (卡号尾号, 银行卡后四位) or just
 * after it (尾号1234的卡, 尾号1234那张卡) → bankCard; else null (the caller's default). The clause is
 * cut at punctuation, and looks at most 8 chars back and 5 ahead.
 */
const CLAUSE_END = /[，。！？；,!?;：:]/;

export function cardKindAround(text: string, start: number, end: number): 'idCard' | 'bankCard' | null {
  let before = text.slice(Math.max(0, start - 8), start);
  for (let i = before.length - 1; i >= 0; i--) {
    if (CLAUSE_END.test(before[i]!)) {
      before = before.slice(i + 1);
      break;
    }
  }
  if (before.includes('身份证') || before.includes('证件')) return 'idCard';
  if (before.includes('卡')) return 'bankCard';
  const after = text.slice(end, end + 5).split(CLAUSE_END, 1)[0]!;
  return after.includes('卡') ? 'bankCard' : null;
}
