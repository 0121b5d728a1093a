/** An RFC 9457 problem+json answer from the API, as an Error the UI can show. */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: readonly FieldProblem[];
  readonly requestId: string | undefined;

  constructor(status: number, problem: Problem) {
    super(problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'SEPAR_ERR_NETWORK' : 'SEPAR_ERR_UNKNOWN');
    this.detail = problem.detail ?? problem.title ?? '';
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read whatever an error body holds into a Problem; never hands raw JSON to the UI. */
export function toProblem(body: unknown): Problem {
  if (!isRecord(body)) return {};
  const str = (k: string): string | undefined => (typeof body[k] === 'string' ? body[k] : undefined);
  const errors = Array.isArray(body.errors)
    ? body.errors.filter(isRecord).map((e) => ({
        field: typeof e.field === 'string' ? e.field : '',
        message: typeof e.message === 'string' ? e.message : '',
      }))
    : undefined;
  return {
    type: str('type'),
    title: str('title'),
    status: typeof body.status === 'number' ? body.status : undefined,
    detail: str('detail'),
    code: str('code'),
    requestId: str('requestId'),
    errors,
  };
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
