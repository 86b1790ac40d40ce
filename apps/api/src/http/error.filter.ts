import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../../../libs/domain/shared/errors';
import { ConcurrencyError } from '../../../../libs/event-store/event-store.port';

const STATUS: Record<DomainError['kind'], number> = { invalid: 400, not_found: 404, conflict: 409, rule: 422 };

export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** One mapping of every failure to `{code, message, details}`: 400 malformed, 404 unknown, 409 conflict, 422 refused. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.map(error);
    if (status >= 500) this.logger.error((error as Error)?.stack ?? String(error));
    res.status(status).json(body);
  }

  private map(error: unknown): [number, ErrorBody] {
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
