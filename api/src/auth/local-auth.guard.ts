import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationError } from '../common/errors/validation';
import { LoginDto } from './dto/login.dto';

/**
 * Runs the 'local' Passport strategy. Guards run before pipes, so the body is validated here first:
 * a malformed login gets a 400 with field details, not a vague 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body = context.switchToHttp().getRequest<{ body: unknown }>().body;
    const dto = plainToInstance(LoginDto, body ?? {});
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationError(errors);
    return (await super.canActivate(context)) as boolean;
  }

  // Let our DomainErrors (INVALID_CREDENTIALS, ACCOUNT_LOCKED…) through unchanged.
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    return user;
  }
}
