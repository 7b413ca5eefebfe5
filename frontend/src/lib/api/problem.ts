// Maps RFC 9457 problem+json answers to our own texts and per-field messages.
import type { MessageKey, TFunction } from '@/lib/i18n';
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];

export type ProblemKind =
  | 'validation'
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'precondition-required'
  | 'too-many-requests'
  | 'payload-too-large'
  | 'internal'
  | 'network';

const kinds: ProblemKind[] = [
  'validation', 'bad-request', 'unauthorized', 'forbidden', 'not-found', 'conflict',
  'precondition-failed', 'precondition-required', 'too-many-requests', 'payload-too-large', 'internal',
];

const byStatus: Record<number, ProblemKind> = {
  400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict',
  412: 'precondition-failed', 413: 'payload-too-large', 422: 'validation', 428: 'precondition-required',
  429: 'too-many-requests',
};

/** An API failure as the UI sees it. */
export class ApiError extends Error {
  readonly kind: ProblemKind;
  readonly status: number;
  readonly problem: Problem | null;
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem | null, retryAfter: number | null = null) {
    const kind = problemKind(status, problem);
    super(problem?.detail ?? problem?.title ?? kind);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get fieldErrors(): Record<string, string> {
    return fieldErrors(this.problem);
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'type' in value;
}

export function problemKind(status: number, problem: Problem | null): ProblemKind {
  const type = problem?.type ?? '';
  const fromType = kinds.find((k) => type === k || type.endsWith(`/${k}`));
  if (fromType) return fromType;
  if (status === 0) return 'network';
  return byStatus[status] ?? 'internal';
}

/** The first message for each field, keyed by the JSON name of the input. */
export function fieldErrors(problem: Problem | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const e of problem?.errors ?? []) {
    result[e.field] ??= e.message;
  }
  return result;
}

/** Our own text for a problem kind (the server's `title` is not shown). */
export function problemMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.kind === 'too-many-requests' && error.retryAfter !== null) {
      return t('problem.too-many-requests.retry', { seconds: error.retryAfter });
    }
    return t(`problem.${error.kind}` as MessageKey);
  }
  return t('problem.network');
}

function parseRetryAfter(response: Response | undefined): number | null {
  const raw = response?.headers.get('Retry-After');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

interface FetchResultLike<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch result: returns data or throws ApiError. */
export function unwrap<D>(result: FetchResultLike<D>): D {
  const { response } = result;
  if (response.ok) return result.data as D;
  const problem = isProblem(result.error) ? result.error : null;
  throw new ApiError(response.status, problem, parseRetryAfter(response));
}

/** Runs an API call and turns network failures into ApiError(kind 'network'). */
export async function call<D>(run: () => Promise<FetchResultLike<D>>): Promise<D> {
  let result: FetchResultLike<D>;
  try {
    result = await run();
  } catch {
    throw new ApiError(0, null);
  }
  return unwrap(result);
}
