import nodemailer from 'nodemailer';
import type { MailConfig } from '../../../config/config.js';
import type { Logger } from '../../../platform/logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends the few emails identity needs (new-device notices, invitations, password resets). */
export interface Mailer {
  /** False when SMTP is not configured: messages are dropped (and logged as skipped, without content). */
  readonly configured: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer (SEPAR_SMTP_URL, e.g. smtps://user:pass@mail.example.com:465; STARTTLS is used
 * whenever the server offers it). Without SMTP nothing is sent.
 */
export function createMailer(config: MailConfig, logger: Logger): Mailer {
  if (config.smtpUrl === null) {
    return {
      configured: false,
      send: (m) => {
        logger.warn({ subject: m.subject }, 'mail not sent: SEPAR_SMTP_URL is not set');
        return Promise.resolve();
      },
      close: () => undefined,
    };
  }
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    configured: true,
    send: async (m) => {
      await transport.sendMail({ from: config.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}
