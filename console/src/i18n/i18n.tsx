import { formatMessage } from './format-message';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Locale = 'zh-CN' | 'en-US';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];

/**
 * Messages of one page or component, both languages side by side in its own file so each page
 * owns its words: `defineMessages({ 'zh-CN': { title: '通话' }, 'en-US': { title: 'Calls' } })`.
 * The English table must have the same keys (checked by the type).
 */
export type Messages<K extends string> = Record<Locale, Record<K, string>>;
export const defineMessages = <K extends string>(m: { 'zh-CN': Record<K, string>; 'en-US': Record<NoInfer<K>, string> }): Messages<K> => m;

const STORAGE_KEY = 'tingjian.locale';

interface LocaleState {
  locale: Locale;
  setLocale: (l: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'zh-CN', setLocale: () => undefined });

/** The language the user chose (kept in localStorage), zh-CN unless switched: also for text made outside React (the api client's network error). */
export function savedLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === 'en-US' || saved === 'zh-CN' ? saved : 'zh-CN';
}

/** zh-CN unless the user switched (remembered in localStorage). */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(savedLocale);
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export const useLocale = () => useContext(LocaleContext);

/**
 * t(key, vars): the message in the current language with {name} placeholders and
 * `{n, plural, one {# call} other {# calls}}` forms filled (format-message.ts).
 */
export function useT<K extends string>(messages: Messages<K>): (key: K, vars?: Record<string, string | number>) => string {
  const { locale } = useLocale();
  return useCallback(
    (key: K, vars?: Record<string, string | number>) => {
      const text = messages[locale][key] ?? messages['zh-CN'][key] ?? key;
      return formatMessage(text, vars, locale);
    },
    [locale, messages],
  );
}

/** Numbers, dates and durations in the user's language. */
export function useFormat() {
  const { locale } = useLocale();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    return {
      dateTime: (v: string | number | null | undefined) => (v === null || v === undefined ? '—' : dateTime.format(new Date(v))),
      number: (v: number | null | undefined) => (v === null || v === undefined ? '—' : number.format(v)),
      /** 754000 → 12:34 (h:mm:ss past an hour). */
      duration: (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : formatClock(ms)),
    };
  }, [locale]);
}

export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
