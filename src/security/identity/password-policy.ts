import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { AppError, type FieldProblem } from '../../platform/app-error.js';
import { isWellFormedText, normalizePassword } from './password.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
/** Parts of a name or email shorter than this are too common to refuse ("Al", "jo"). */
const MIN_PERSONAL_PART = 4;
const PRODUCT_NAME = 'separ';
/** zxcvbn score (0–4) a password must reach: 3 is "safely unguessable: moderate protection from offline attacks". */
export const PASSWORD_MIN_SCORE = 3;
/** zxcvbn looks at this many leading characters (its cost grows with length); the rest only adds strength. */
const ZXCVBN_MAX_LENGTH = 128;

let estimator: ZxcvbnFactory | undefined;

/** The common-password estimator: zxcvbn with its common (breached passwords) and English dictionaries. */
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
    // Bounded work per check (~20 ms): l33t variants beyond 10 substitutions add little and cost much.
    l33tMaxSubstitutions: 10,
    maxLength: ZXCVBN_MAX_LENGTH,
  });
  return estimator;
}

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
 * truncated. No composition rules or expiry (NIST SP 800-63B); common, breached and patterned passwords are
 * refused by zxcvbn's estimate (score below 3), checked once the cheaper rules pass.
 */
export function passwordProblems(password: string, owner: PasswordOwner = {}): string[] {
  const problems: string[] = [];
  if (!isWellFormedText(password)) {
    return ['must be valid Unicode text (it contains a broken surrogate pair)'];
  }
  const normalized = normalizePassword(password);
  // Typed length: code points of the canonical composition (NFC); compatibility expansion (NFKC, used for
  // comparison) must not make one keystroke such as U+FDFA count as eighteen.
  const typed = [...password.normalize('NFC')].length;
  const length = [...normalized].length;
  if (typed < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (Math.max(typed, length) > PASSWORD_MAX_LENGTH) {
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  }
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
  if (problems.length === 0) {
    const inputs = [...personal.map((p) => p.word), PRODUCT_NAME];
    const result = strength().check(normalized, inputs);
    if (result.score < PASSWORD_MIN_SCORE) {
      const why = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '').toLowerCase()})` : '';
      problems.push(
        `is too easy to guess${why}: it is a common or breached password or a simple pattern; ` +
          'a few unrelated words make a strong one',
      );
    }
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
