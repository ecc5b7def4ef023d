/**
 * Email through the destination's SMTP server (nodemailer). `security`: `tls` (implicit TLS, usually
 * port 465), `starttls` (upgrade required, usually 587) or `none` (a trusted relay on a private network).
 * SMTP 4xx replies and connection failures are worth retrying; 5xx and authentication failures are not.
 */
import nodemailer from 'nodemailer';
import { DeliveryError, scrubSecrets } from './errors.js';

export interface SmtpSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username?: string;
  from: string;
  fromName?: string;
  to: string[];
}

export interface EmailMessage {
  smtp: SmtpSettings;
  password?: string;
  subject: string;
  text: string;
  attachment?: { body: Buffer; fileName: string; contentType: string };
  timeoutMs: number;
}

export async function sendEmail(m: EmailMessage): Promise<{ messageId: string; accepted: string[] }> {
  const transport = nodemailer.createTransport({
    host: m.smtp.host,
    port: m.smtp.port,
    secure: m.smtp.security === 'tls',
    requireTLS: m.smtp.security === 'starttls',
    ignoreTLS: m.smtp.security === 'none',
    auth: m.smtp.username ? { user: m.smtp.username, pass: m.password ?? '' } : undefined,
    connectionTimeout: m.timeoutMs,
    greetingTimeout: m.timeoutMs,
    socketTimeout: m.timeoutMs,
    // nodemailer's own logger would print the conversation (and AUTH) to stdout.
    logger: false,
  });
  try {
    const info = await transport.sendMail({
      from: m.smtp.fromName ? { name: m.smtp.fromName, address: m.smtp.from } : m.smtp.from,
      to: m.smtp.to,
      subject: m.subject,
      text: m.text,
      attachments: m.attachment
        ? [{ filename: m.attachment.fileName, content: m.attachment.body, contentType: m.attachment.contentType }]
        : [],
    });
    return { messageId: info.messageId, accepted: info.accepted.map(String) };
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; message?: string };
    const message = scrubSecrets(`SMTP ${m.smtp.host}:${m.smtp.port}: ${e.message ?? 'failed'}`, [m.password]);
    const permanent = e.code === 'EAUTH' || e.code === 'EENVELOPE' || (e.responseCode ?? 0) >= 500;
    throw new DeliveryError(message, permanent);
  } finally {
    transport.close();
  }
}
