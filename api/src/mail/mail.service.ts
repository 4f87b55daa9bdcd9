import { Injectable, Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail through SMTP when MAIL_SMTP_URL is set; otherwise reports that nothing was sent. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter | null;

  constructor(private readonly config: AppConfig) {
    this.transport = config.MAIL_SMTP_URL ? createTransport(config.MAIL_SMTP_URL) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Returns true when the message was handed to the SMTP server. Never throws: mail is best effort. */
  async send(message: MailMessage): Promise<boolean> {
    if (!this.transport) return false;
    try {
      await this.transport.sendMail({ from: this.config.MAIL_FROM, ...message });
      return true;
    } catch (error) {
      // No recipient in the log (personal data): SMTP refusals often quote the address, so it is masked.
      this.logger.warn(`E-mail non envoyé : ${redactAddresses(error instanceof Error ? error.message : String(error))}`);
      return false;
    }
  }
}

/** The text with every e-mail address replaced (SMTP errors quote the envelope: "<jean@example.fr>: Recipient address rejected"). */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g, '[adresse masquée]');
}
