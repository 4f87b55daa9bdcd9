import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ApiError, ErrorCode } from '@passerelle/contracts';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DEFAULT_MESSAGES, DomainError, STATUS_BY_CODE } from './domain-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'AUTH_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** PostgreSQL error codes that mean "bad input", never a 500. */
const PG_CODES: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: 'CONFLICT', message: 'Un enregistrement identique existe déjà.' },
  '23503': { code: 'VALIDATION_FAILED', message: 'Une référence fournie n’existe pas (commune, structure…).' },
  '23514': { code: 'VALIDATION_FAILED', message: 'Les données ne respectent pas une règle de cohérence.' },
  '22P02': { code: 'VALIDATION_FAILED', message: 'Un identifiant ou une valeur a un format invalide.' },
  '22001': { code: 'VALIDATION_FAILED', message: 'Une valeur est trop longue.' },
};

/**
 * The one place where errors become HTTP responses: `{ statusCode, code, message, details? }`,
 * with French messages and stable codes. Never a stack trace or SQL in a response.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toApiError(exception);
    body.requestId = req.id !== undefined ? String(req.id) : undefined;
    if (body.statusCode >= 500) {
      // Log the technical cause (no request body, so no personal data) for operators.
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ err: { name: err.name, message: err.message, stack: err.stack }, requestId: body.requestId }, 'Unhandled error');
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private toApiError(exception: unknown): ApiError {
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, code: exception.code, message: exception.message, details: exception.details, ...exception.extra };
    }
    if (exception instanceof QueryFailedError) {
      const pgCode = (exception.driverError as { code?: string } | undefined)?.code;
      const mapped = pgCode ? PG_CODES[pgCode] : undefined;
      if (mapped) return { statusCode: STATUS_BY_CODE[mapped.code], code: mapped.code, message: mapped.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
      const message = status === 404 ? 'Ressource introuvable.' : DEFAULT_MESSAGES[code];
      return { statusCode: status, code, message };
    }
    // body-parser errors (malformed JSON, payload too large) carry a status but are not HttpExceptions.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED';
      const message =
        (exception as { type?: string }).type === 'entity.parse.failed'
          ? 'Le corps de la requête n’est pas un JSON valide.'
          : DEFAULT_MESSAGES[code];
      return { statusCode: status, code, message };
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: DEFAULT_MESSAGES.INTERNAL_ERROR };
  }
}
