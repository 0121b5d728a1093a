/** Persian letters → a plain ASCII romanisation, good enough for synthetic email addresses and domain names. */
const PERSIAN_TO_LATIN: ReadonlyMap<string, string> = new Map(
  (
    'ا=a آ=a أ=a إ=e ب=b پ=p ت=t ث=s ج=j چ=ch ح=h خ=kh د=d ذ=z ر=r ز=z ژ=zh س=s ش=sh ص=s ض=z ط=t ظ=z ع=a غ=gh ' +
    'ف=f ق=gh ک=k ك=k گ=g ل=l م=m ن=n و=v ه=h ة=h ی=i ي=i ى=i ئ=y ؤ=o ء='
  )
    .split(' ')
    .map((pair): [string, string] => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

const ASCII_ALNUM = /^[A-Za-z0-9]$/;

/** Lower-case ASCII letters, digits and single hyphens (accents dropped, Persian romanised, the rest left out). */
export function asciiSlug(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) {
    const mapped = PERSIAN_TO_LATIN.get(ch);
    if (mapped !== undefined) out += mapped;
    else if (ASCII_ALNUM.test(ch)) out += ch.toLowerCase();
    else if (ch === ' ' || ch === '-' || ch === '\u200c') out += '-';
  }
  return out.replace(/-+/g, '-').replace(/^-|-$/g, '');
}
