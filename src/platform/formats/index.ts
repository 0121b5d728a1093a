export { fail, ok, type Fail, type Ok, type Result } from './result.js';
export {
  breaksLine,
  hasControlChars,
  MAX_SEARCH_TOKEN_LENGTH,
  MAX_SEARCH_TOKENS,
  normalizeText,
  searchTokens,
  stripInvisible,
  toAsciiDigits,
} from './normalize.js';
export { emailLookupKey, MAX_EMAIL_LENGTH, MAX_EMAIL_LOCAL_LENGTH, parseEmail } from './email.js';
export { parsePhone, PHONE_REGIONS } from './phone.js';
export { parseIranNationalId } from './national-id.js';
export { formatIban, parseIban } from './iban.js';
export { currencyMinorUnits, isCurrencyCode } from './currency.js';
export {
  findCardNumbers,
  luhnValid,
  maskCard,
  maskCardNumbersInText,
  parseCardNumber,
  type CardNumberMatch,
} from './card.js';
