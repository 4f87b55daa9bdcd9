import { ApiPropertyOptional } from '@nestjs/swagger';
import type { NotificationListQuery } from '@passerelle/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class NotificationListQueryDto implements NotificationListQuery {
  @ApiPropertyOptional({ description: 'true : seulement les notifications non lues.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean({ message: 'unreadOnly vaut true ou false.' })
  unreadOnly?: boolean;
}
