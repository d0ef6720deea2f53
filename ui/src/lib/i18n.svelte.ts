// The window's language: i18next over one catalog per language (src/locales/<lang>/<area>.json, an
// i18next namespace per area). The OS language picks it (the shell's `system_locale`; the browser's
// language before that answers), Settings → General can name one instead.
//
// Components call `t("area:key", { … })`: the keys are typed from the English catalog, so a misspelt key
// fails svelte-check. Interpolated values are not HTML-escaped here: Svelte escapes text it renders, and
// no translation is ever rendered with {@html}.
import i18next, { type TFunction } from "i18next";
import { en } from "../locales/en";
import { de } from "../locales/de";

/** The shape every language's catalog has: English's. */
export type Catalog = typeof en;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: Catalog;
  }
}

const catalogs = { en, de } satisfies Record<string, Catalog>;
export type Language = keyof typeof catalogs;

/** The languages Settings offers, each named in itself. */
export const languages: { code: Language; name: string }[] = [
  { code: "en", name: "English" },
  { code: "de", name: "Deutsch" },
];

void i18next.init({
  resources: catalogs,
  lng: "en",
  fallbackLng: "en",
  ns: Object.keys(en),
  defaultNS: "common",
  // The catalogs are bundled: initialise synchronously, before the first render. The language is not
  // i18next's own: `t` passes `locale.current` with every lookup.
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The catalog for a BCP 47 tag or POSIX locale ("de-AT", "de_DE.UTF-8"), or null when there is none. */
export function supported(tag: string | null | undefined): Language | null {
  const primary = tag?.trim().toLowerCase().split(/[-_.@]/)[0];
  return primary && primary in catalogs ? (primary as Language) : null;
}

class Locale {
  /** What Settings names (null: follow the OS). */
  chosen = $state<string | null>(null);
  /** The OS language as the shell reports it; the browser's until it has answered. */
  system = $state<string | null>(typeof navigator === "undefined" ? null : navigator.language);
  /** The language the window is in. */
  current = $derived<Language>(supported(this.chosen) ?? supported(this.system) ?? "en");
  /** The OS's language when there is a catalog for it, for Settings' "As the system (…)". */
  systemLanguage = $derived<Language>(supported(this.system) ?? "en");
}

export const locale = new Locale();

// Screen readers (and axe) read the page's language from <html lang>.
$effect.root(() => {
  $effect.pre(() => {
    document.documentElement.lang = locale.current;
  });
});

type Namespaces = (keyof Catalog)[];

/** The translation of `key` ("area:key"), in the window's language; re-read when the language changes. */
export const t: TFunction<Namespaces> = ((...args: unknown[]) => {
  // Read the language in the caller's reactive context so its text follows a change.
  const lng = locale.current;
  const [key, options] = args as [string, Record<string, unknown> | undefined];
  // The typed signature is `t`'s own; inside, the key is any string.
  return (i18next.t as (key: string, options: object) => string)(key, { ...(typeof options === "object" ? options : {}), lng });
}) as unknown as TFunction<Namespaces>;

/** The locale numbers and dates are formatted in: the OS's own ("en-GB", "de-AT") when the window is in
 *  its language, so an English user in Britain keeps 24-hour times; else the window's language. */
export function intlLocale(): string {
  const lang = locale.current;
  if (supported(locale.system) !== lang || !locale.system) return lang;
  try {
    // A POSIX form ("de_AT.UTF-8") becomes "de-AT"; anything Intl cannot read falls back to the language.
    return Intl.getCanonicalLocales(locale.system.split(/[.@]/)[0].replace(/_/g, "-"))[0] ?? lang;
  } catch {
    return lang;
  }
}
