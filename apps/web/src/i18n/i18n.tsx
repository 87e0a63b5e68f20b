/** The UI language (English or Japanese), persisted in localStorage, and `t()` over the typed dictionary. */
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { usePersistentState } from '../lib/persistent-state.js';
import { DICTIONARY, LANGUAGES, type Language, type MessageKey } from './dictionary.js';
import { createFormat, type Format } from './format.js';

/** Values substituted for `{name}` placeholders. */
export type MessageValues = Readonly<Record<string, string | number>>;

interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: (key: MessageKey, values?: MessageValues) => string;
  readonly format: Format;
}

const I18nContext = createContext<I18n | undefined>(undefined);

const browserLanguage = (): Language =>
  typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';

const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** Provides the language, `t` and locale-aware formatting to the app. */
export const I18nProvider = ({ children }: { readonly children: ReactNode }) => {
  const [language, setLanguage] = usePersistentState<Language>(
    'nflab.language',
    browserLanguage(),
    isLanguage,
  );
  const t = useCallback(
    (key: MessageKey, values: MessageValues = {}) =>
      DICTIONARY[language][key].replace(/\{(\w+)\}/g, (match, name: string) =>
        name in values ? String(values[name]) : match,
      ),
    [language],
  );
  const value = useMemo(
    () => ({ language, setLanguage, t, format: createFormat(language) }),
    [language, setLanguage, t],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
};

/** The current language, `t` and formatters. */
export const useI18n = (): I18n => {
  const value = useContext(I18nContext);
  if (value === undefined) throw new Error('useI18n needs an <I18nProvider> above it');
  return value;
};
