/**
 * Fills a message's placeholders: `{name}` with the value, and the ICU plural form
 * `{n, plural, =0 {no calls} one {# call} other {# calls}}` with the branch the language's plural
 * rules choose for n (Intl.PluralRules: English has one/other, Chinese only other), `#` standing
 * for the value as given (a formatted "1,234" stays so). Exact `=N` branches win over categories; `other` is the fallback. Kept to these
 * two forms on purpose: the console's messages need nothing more of ICU.
 * @example formatMessage('{n, plural, one {# call} other {# calls}}', { n: 1 }, 'en-US') // '1 call'
 */
export function formatMessage(text: string, vars: Record<string, string | number> | undefined, locale: string): string {
  if (!vars) return text;
  const rules = new Intl.PluralRules(locale);
  const plural = text.replace(/\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g, (m, name: string, branches: string) => {
    // A number formatted for display ("1,234") still chooses by its value; # shows it as given.
    const n = Number(String(vars[name]).replace(/[,\s\u00a0]/g, ''));
    if (!(name in vars) || !Number.isFinite(n)) return m;
    const forms = new Map<string, string>();
    for (const b of branches.matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g)) forms.set(b[1]!, b[2]!);
    const chosen = forms.get(`=${n}`) ?? forms.get(rules.select(n)) ?? forms.get('other') ?? m;
    return chosen.replace(/#/g, String(vars[name]));
  });
  return plural.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
