/**
 * Transport-neutral error. Services throw AppError with a stable code; the HTTP layer maps it to
 * RFC 9457 problem+json and the CLI prints `message` on one line. `detail` is shown to the caller,
 * `internal` only reaches the log.
 */
export const ERROR_CODES = {
  SEPAR_ERR_VALIDATION: 400,
  SEPAR_ERR_UNKNOWN_FIELD: 400,
  SEPAR_ERR_MALFORMED_JSON: 400,
  SEPAR_ERR_BAD_CURSOR: 400,
  SEPAR_ERR_BAD_REQUEST: 400,
  SEPAR_ERR_UNAUTHENTICATED: 401,
  SEPAR_ERR_INVALID_CREDENTIALS: 401,
  SEPAR_ERR_MFA_REQUIRED: 401,
  SEPAR_ERR_STEP_UP_REQUIRED: 401,
  SEPAR_ERR_ACCOUNT_SETUP_REQUIRED: 403,
  SEPAR_ERR_FORBIDDEN: 403,
  SEPAR_ERR_CSRF: 403,
  SEPAR_ERR_IP_REFUSED: 403,
  SEPAR_ERR_NOT_FOUND: 404,
  SEPAR_ERR_METHOD_NOT_ALLOWED: 405,
  SEPAR_ERR_NOT_ACCEPTABLE: 406,
  SEPAR_ERR_REQUEST_TIMEOUT: 408,
  SEPAR_ERR_CONFLICT: 409,
  SEPAR_ERR_VERSION_CONFLICT: 409,
  SEPAR_ERR_DUPLICATE: 409,
  SEPAR_ERR_PRECONDITION_FAILED: 412,
  SEPAR_ERR_PAYLOAD_TOO_LARGE: 413,
  SEPAR_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  SEPAR_ERR_EXPORT_TOO_LARGE: 422,
  SEPAR_ERR_PRECONDITION_REQUIRED: 428,
  SEPAR_ERR_RATE_LIMITED: 429,
  SEPAR_ERR_HEADERS_TOO_LARGE: 431,
  SEPAR_ERR_INTERNAL: 500,
  SEPAR_ERR_UNAVAILABLE: 503,
  SEPAR_ERR_CONFIG: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldProblem {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldProblem[];
  internal?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly internal: unknown;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.detail = options.detail;
    this.errors = options.errors;
    this.internal = options.internal;
    this.headers = options.headers;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** "Not found or no access": one answer for both, so existence never leaks. */
export const notFound = (what = 'Record'): AppError =>
  new AppError('SEPAR_ERR_NOT_FOUND', `${what} not found`, { detail: `${what} not found.` });

export const validationError = (field: string, message: string): AppError =>
  new AppError('SEPAR_ERR_VALIDATION', `Invalid value for '${field}'`, {
    detail: `'${field}' ${message}`,
    errors: [{ field, message }],
  });

export const forbidden = (detail = 'You do not have permission to do this.'): AppError =>
  new AppError('SEPAR_ERR_FORBIDDEN', 'Forbidden', { detail });
