import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../../../libs/domain/shared/errors';
import { ConcurrencyError } from '../../../../libs/event-store/event-store.port';
import { describeFailure, isTransientStoreError } from '../../../../libs/resilience/retry';
import { releaseIdempotencyClaim } from './idempotency-claim';
import { logForRequest } from './observability';

const STATUS: Record<DomainError['kind'], number> = { invalid: 400, not_found: 404, conflict: 409, rule: 422 };

export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * One mapping of every failure to `{code, message, details}`: 400 malformed, 404 unknown, 409 conflict, 422 refused,
 * 503 with `Retry-After` when a store is busy, locked or unreachable (a retry with the same ids is safe: ADR 0045).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  /** `retryAfterSeconds`: AR_RETRY_AFTER_SECONDS. */
  constructor(private readonly retryAfterSeconds = 2) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    // A write that failed wrote nothing: its Idempotency-Key is free again before the client hears of the failure.
    releaseIdempotencyClaim(req);
    const [status, body] = this.map(error);
    // For the access line (ADR 0066): the error's code, not its body.
    res.locals.errorCode = body.code;
    if (status === 503) {
      res.setHeader('Retry-After', String(this.retryAfterSeconds));
      logForRequest(req, 'warn', 'HTTP', `Store unavailable: ${body.details.reason as string}`);
    } else if (status >= 500) logForRequest(req, 'error', 'HTTP', (error as Error)?.stack ?? String(error));
    res.status(status).json(body);
  }

  private map(error: unknown): [number, ErrorBody] {
    if (isTransientStoreError(error)) {
      return [503, {
        code: 'STORE_UNAVAILABLE',
        message: 'A store is busy or unreachable. Retry after Retry-After seconds with the same ids (or Idempotency-Key): the retry completes what this request started and writes nothing twice',
        details: { reason: describeFailure(error), retryAfterSeconds: this.retryAfterSeconds },
      }];
    }
    if (error instanceof DomainError) return [STATUS[error.kind], { code: error.code, message: error.message, details: error.details }];
    if (error instanceof ConcurrencyError) {
      return [409, { code: 'CONCURRENCY_CONFLICT', message: error.message, details: { streamId: error.streamId } }];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const r = error.getResponse();
      if (typeof r === 'object' && r !== null && 'code' in r) return [status, r as ErrorBody];
      const message = typeof r === 'string' ? r : String((r as { message?: unknown }).message ?? error.message);
      // Express refuses a path segment that is not valid percent-encoding (`/customers/%ZZ`) before routing.
      if (status === 400 && message.startsWith('Failed to decode param')) return [400, { code: 'PATH_MALFORMED', message, details: { field: 'path' } }];
      const code = status === 404 ? 'NOT_FOUND' : status === 400 ? 'BAD_REQUEST' : `HTTP_${status}`;
      return [status, { code, message, details: {} }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} }];
  }
}
