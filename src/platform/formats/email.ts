import { fail, ok, type Result } from './result.js';

/** RFC 5321 path limit: 256 octets minus the angle brackets. */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_EMAIL_LOCAL_LENGTH = 64;
const MAX_DOMAIN_LENGTH = 253;

/** One dot-atom part: RFC 5322 `atext`. */
const ATEXT_RUN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** One DNS label: letters, digits, hyphens (LDH), 1–63 characters; the hyphen rule is checked separately. */
const LDH_LABEL = /^[A-Za-z0-9-]{1,63}$/;
const ALL_DIGITS = /^[0-9]+$/;

/**
 * Parses an email address: trims; accepts a dot-atom or quoted local part and an ASCII (LDH, punycode `xn--`)
 * domain of at least two labels whose TLD is not all digits. Returns the address with the domain lower-cased;
 * the local part keeps its case (it is case-sensitive by the RFC, even if few servers care).
 * Non-ASCII (SMTPUTF8) addresses, IP-literal domains and comments are refused.
 */
export function parseEmail(input: string): Result<string> {
  if (typeof input !== 'string') return fail('must be a string');
  const email = input.trim();
  if (email === '') return fail('is empty');
  if (email.length > MAX_EMAIL_LENGTH) return fail(`is too long (at most ${MAX_EMAIL_LENGTH} characters)`);
  const at = email.lastIndexOf('@');
  if (at < 0) return fail('is not an email address (no @)');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '') return fail('is not an email address (nothing before the @)');
  if (local.length > MAX_EMAIL_LOCAL_LENGTH) {
    return fail(`is not a valid email address (the part before the @ is longer than ${MAX_EMAIL_LOCAL_LENGTH})`);
  }
  const localProblem = local.startsWith('"') ? quotedLocalProblem(local) : dotAtomProblem(local);
  if (localProblem !== undefined) return fail(`is not a valid email address (${localProblem})`);
  const domainProblem = domainNameProblem(domain);
  if (domainProblem !== undefined) return fail(`is not a valid email address (${domainProblem})`);
  // Lower-cased only after the ASCII check: toLowerCase() maps some non-ASCII letters (K, U+212A) to ASCII.
  return ok(`${local}@${domain.toLowerCase()}`);
}

/** Key for exact matching and uniqueness: NFKC and full lower case (local part included), trimmed. */
export function emailLookupKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}

function dotAtomProblem(local: string): string | undefined {
  if (local.includes('@')) return 'more than one @';
  for (const part of local.split('.')) {
    if (part === '') return 'the part before the @ has an empty dot-separated part';
    if (!ATEXT_RUN.test(part)) return 'the part before the @ has characters that need quoting';
  }
  return undefined;
}

/** RFC 5322 quoted-string: printable ASCII and spaces, with `\` escaping `"`, `\` or any printable character. */
function quotedLocalProblem(local: string): string | undefined {
  if (local.length < 3 || !local.endsWith('"')) return 'the quoted part before the @ is empty or not closed';
  for (let i = 1; i < local.length - 1; i++) {
    const c = local.charCodeAt(i);
    if (c === 0x5c) {
      i++;
      const escaped = local.charCodeAt(i);
      if (i >= local.length - 1 || escaped < 0x20 || escaped > 0x7e) return 'a bad escape in the quoted part';
    } else if (c === 0x22) {
      return 'an unescaped quote in the quoted part';
    } else if (c < 0x20 || c > 0x7e) {
      return 'the quoted part has control or non-ASCII characters';
    }
  }
  return undefined;
}

function domainNameProblem(domain: string): string | undefined {
  if (domain === '') return 'nothing after the @';
  if (domain.length > MAX_DOMAIN_LENGTH) return 'the domain is too long';
  const labels = domain.split('.');
  if (labels.length < 2) return 'the domain needs at least two labels, like example.com';
  for (const label of labels) {
    if (label === '') return 'the domain has an empty label';
    if (!LDH_LABEL.test(label)) {
      return label.length > 63
        ? 'a domain label is longer than 63 characters'
        : 'the domain may only have letters, digits and hyphens (use xn-- punycode for international names)';
    }
    if (label.startsWith('-') || label.endsWith('-')) return 'a domain label starts or ends with a hyphen';
  }
  const tld = labels[labels.length - 1] ?? '';
  if (ALL_DIGITS.test(tld)) return 'the top-level domain is all digits';
  return undefined;
}
