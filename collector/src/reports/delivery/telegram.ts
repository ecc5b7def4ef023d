/**
 * Telegram Bot API: `sendDocument` as multipart/form-data (chat_id, caption, document). The base URL is
 * configurable (INFRAZEN_TELEGRAM_API_URL) for a local Bot API server or a proxy, and for the tests'
 * loopback fake. The bot token is in the URL path, so it is never logged and scrubbed from errors.
 */
import { fetch, FormData } from 'undici';
import { DeliveryError, scrubSecrets } from './errors.js';

export interface TelegramDocument {
  apiUrl: string;
  botToken: string;
  chatId: string;
  caption: string;
  file: { body: Buffer; fileName: string; contentType: string };
  timeoutMs: number;
}

interface BotApiAnswer {
  ok: boolean;
  result?: { message_id?: number };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** Telegram's caption limit, in characters. */
export const CAPTION_LIMIT = 1024;

function endpoint(apiUrl: string, token: string, method: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/bot${token}/${method}`;
}

async function call(url: string, body: FormData, token: string, timeoutMs: number): Promise<BotApiAnswer> {
  let response;
  try {
    response = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const reason =
      (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (err as Error).message;
    throw new DeliveryError(scrubSecrets(`Telegram unreachable: ${reason}`, [token]), false);
  }
  const text = await response.text();
  let answer: BotApiAnswer;
  try {
    answer = JSON.parse(text) as BotApiAnswer;
  } catch {
    throw new DeliveryError(
      `Telegram answered HTTP ${response.status} without JSON`,
      response.status < 500 && response.status !== 429
    );
  }
  if (response.ok && answer.ok) return answer;
  const status = answer.error_code ?? response.status;
  const description = scrubSecrets(answer.description ?? `HTTP ${response.status}`, [token]);
  const retryAfter = answer.parameters?.retry_after;
  // 429 and server errors pass; a bad token, a wrong chat or a bot kicked from it will not fix itself.
  const permanent = status !== 429 && status < 500;
  throw new DeliveryError(
    `Telegram: ${status} ${description}`,
    permanent,
    retryAfter !== undefined ? retryAfter * 1000 : undefined
  );
}

export async function sendTelegramDocument(d: TelegramDocument): Promise<{ messageId: number | null }> {
  const form = new FormData();
  form.append('chat_id', d.chatId);
  form.append('caption', d.caption.slice(0, CAPTION_LIMIT));
  form.append('document', new Blob([d.file.body], { type: d.file.contentType }), d.file.fileName);
  const answer = await call(endpoint(d.apiUrl, d.botToken, 'sendDocument'), form, d.botToken, d.timeoutMs);
  return { messageId: answer.result?.message_id ?? null };
}

/** A short text, to check a destination before the first report. */
export async function sendTelegramMessage(
  d: Omit<TelegramDocument, 'file' | 'caption'> & { text: string }
): Promise<{ messageId: number | null }> {
  const form = new FormData();
  form.append('chat_id', d.chatId);
  form.append('text', d.text);
  const answer = await call(endpoint(d.apiUrl, d.botToken, 'sendMessage'), form, d.botToken, d.timeoutMs);
  return { messageId: answer.result?.message_id ?? null };
}
