import { AppError, type FieldProblem } from '../../platform/app-error.js';
import { normalizePassword } from './password.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
/** Parts of a name or email shorter than this are too common to refuse ("Al", "jo"). */
const MIN_PERSONAL_PART = 4;
const PRODUCT_NAME = 'separ';

export interface PasswordOwner {
  email?: string | null;
  name?: string | null;
}

const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

/** The personal words a password must not contain: the whole email local part and name, and their longer parts. */
function personalWords(owner: PasswordOwner): { word: string; source: 'email' | 'name' }[] {
  const words: { word: string; source: 'email' | 'name' }[] = [];
  const add = (text: string, source: 'email' | 'name', separators: RegExp): void => {
    const whole = fold(text).trim();
    for (const w of [whole, ...whole.split(separators)]) {
      if ([...w].length >= MIN_PERSONAL_PART && !words.some((x) => x.word === w && x.source === source))
        words.push({ word: w, source });
    }
  };
  if (owner.email) {
    const at = owner.email.lastIndexOf('@');
    add(at > 0 ? owner.email.slice(0, at) : owner.email, 'email', /[._+\-"]+/);
  }
  if (owner.name) add(owner.name, 'name', /[\s.,'’\-_]+/u);
  return words;
}

/**
 * Why `password` is refused, or an empty list. Length is counted in Unicode code points after NFKC; nothing is
 * truncated. No composition rules (NIST SP 800-63B); the common-password check (zxcvbn) is added with the
 * authentication hardening.
 */
export function passwordProblems(password: string, owner: PasswordOwner = {}): string[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const problems: string[] = [];
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  if (normalized.trim() === '') problems.push('must not be only spaces');
  const folded = fold(normalized);
  if (folded.includes(PRODUCT_NAME)) problems.push(`must not contain the product name '${PRODUCT_NAME}'`);
  const personal = personalWords(owner);
  if (personal.some((p) => p.source === 'email' && folded.includes(p.word))) {
    problems.push('must not contain your email address or a part of it');
  }
  if (personal.some((p) => p.source === 'name' && folded.includes(p.word))) {
    problems.push('must not contain your name or a part of it');
  }
  return problems;
}

/** Throws SEPAR_ERR_VALIDATION listing every reason `password` is refused. */
export function assertPasswordAcceptable(password: string, owner: PasswordOwner, field = 'password'): void {
  const problems = passwordProblems(password, owner);
  if (problems.length === 0) return;
  const errors: FieldProblem[] = problems.map((message) => ({ field, message }));
  throw new AppError('SEPAR_ERR_VALIDATION', 'Password not accepted', {
    detail: `The password ${problems.join('; ')}.`,
    errors,
  });
}
