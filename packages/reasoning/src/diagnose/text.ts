/** The languages the text view speaks. JSON is always English. */
export type Lang = 'en' | 'ko';
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** A sentence in every language of the text view. */
export interface Said {
  en: string;
  ko: string;
}

export const said = (en: string, ko: string): Said => ({ en, ko });
