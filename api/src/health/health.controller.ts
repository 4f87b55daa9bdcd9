import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { HealthResponse } from '@passerelle/contracts';
import type { Response } from 'express';
import { Public } from '../common/auth/allow.decorator';

const APP_VERSION = '0.1.0';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly db: TypeOrmHealthIndicator) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'État du service et de la base de données (200 ou 503).' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    let database: HealthResponse['database'] = 'up';
    try {
      await this.db.pingCheck('database', { timeout: 2000 });
    } catch {
      database = 'down';
    }
    if (database === 'down') res.status(503);
    return { status: database === 'up' ? 'ok' : 'error', database, version: APP_VERSION };
  }
}
