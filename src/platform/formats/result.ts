/** Outcome of parsing untrusted input: the normalised value, or a short human reason why it was refused. */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

export type Ok<T> = Extract<Result<T>, { ok: true }>;
export type Fail = Extract<Result<never>, { ok: false }>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** `reason` is a short English sentence fragment about the input, e.g. "is not a valid IBAN (checksum mismatch)". */
export function fail(reason: string): Fail {
  return { ok: false, reason };
}
