import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NOTIFICATION_ROLES, type AppNotification, type NotificationSummary } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { NotificationListQueryDto } from './dto/notification-list-query.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiCookieAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Allow(...NOTIFICATION_ROLES)
  @ApiOperation({ summary: 'Vos notifications, les plus récentes d’abord (100 au plus) ; unreadOnly=true : seulement les non lues.' })
  list(@Auth() auth: AuthContext, @Query() query: NotificationListQueryDto): Promise<AppNotification[]> {
    return this.notifications.list(auth, { unreadOnly: query.unreadOnly });
  }

  @Get('summary')
  @Allow(...NOTIFICATION_ROLES)
  @ApiOperation({ summary: 'Le nombre de vos notifications non lues (interrogé périodiquement par l’en-tête).' })
  summary(@Auth() auth: AuthContext): Promise<NotificationSummary> {
    return this.notifications.summary(auth);
  }

  // Declared before :id/read, so that "read-all" is not taken for an id.
  @Post('read-all')
  @Allow(...NOTIFICATION_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Marque toutes vos notifications comme lues ; renvoie le nouveau compte.' })
  markAllRead(@Auth() auth: AuthContext): Promise<NotificationSummary> {
    return this.notifications.markAllRead(auth);
  }

  @Post(':id/read')
  @Allow(...NOTIFICATION_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Marque une de vos notifications comme lue (404 pour celle d’un autre).' })
  markRead(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<AppNotification> {
    return this.notifications.markRead(auth, id);
  }
}
