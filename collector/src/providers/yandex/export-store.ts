/**
 * The detailed billing export lives in an Object Storage bucket, read through the S3 API with static
 * access keys (@aws-sdk/client-s3, custom endpoint, path-style). The SDK's own retries are off: calls go
 * through the same policy as every other provider call (bounded attempts, exponential backoff with full
 * jitter, Retry-After honoured, no retry on other 4xx), and failures come back as ProviderErrors whose
 * messages carry neither key.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { kindForStatus, ProviderError, type ProviderErrorKind } from '../http/errors.js';
import { parseRetryAfter, type HttpOptions } from '../http/client.js';
import type { Logger } from '../../observability/logger.js';
import { hostOf } from './auth.js';
import { dayOfKey } from './time.js';

export const EXPORT_LIST_ENDPOINT = 'export.list';
export const EXPORT_GET_ENDPOINT = 'export.get';

export interface ExportObject {
  key: string;
  etag: string;
  lastModified?: string;
  size?: number;
  /** The Moscow day (YYYY-MM-DD) the file name says it holds. */
  day?: string;
}

export interface ExportStoreInit {
  endpoint: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  http: HttpOptions;
  logger: Logger;
  signal?: AbortSignal;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

export class ExportStore {
  private readonly s3: S3Client;

  constructor(private readonly init: ExportStoreInit) {
    // The SDK warns once per process that releases after January 2027 will need Node 22; the lockfile
    // pins this one, and the warning would otherwise land in every operator's log.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.s3 = new S3Client({
      endpoint: init.endpoint,
      region: 'ru-central1',
      forcePathStyle: true,
      credentials: { accessKeyId: init.accessKeyId, secretAccessKey: init.secretAccessKey },
      maxAttempts: 1,
      // S3-compatible stores do not all speak the newer flexible checksums; ask for them only when required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        requestTimeout: init.http.timeoutMs,
        connectionTimeout: init.http.timeoutMs,
        throwOnRequestTimeout: true,
      },
    });
  }

  /** Closes the SDK's keep-alive sockets: a session is over once its billing is read. */
  destroy(): void {
    this.s3.destroy();
  }

  /** Every CSV object under the prefix (ListObjectsV2, following continuation tokens). */
  async list(): Promise<ExportObject[]> {
    const objects: ExportObject[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.withRetries(EXPORT_LIST_ENDPOINT, async () => {
        const res = await this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.init.bucket,
            Prefix: this.init.prefix || undefined,
            ContinuationToken: token,
          }),
          { abortSignal: this.init.signal }
        );
        // An HTML error page parses as an XML document with nothing in it: refuse it rather than read
        // "the bucket is empty".
        if (res.Name === undefined && res.KeyCount === undefined && res.Contents === undefined) {
          throw new ProviderError(
            'bad_response',
            EXPORT_LIST_ENDPOINT,
            'the bucket listing is not a ListObjectsV2 answer'
          );
        }
        return res;
      });
      for (const item of page.Contents ?? []) {
        if (!item.Key || !item.Key.toLowerCase().endsWith('.csv')) continue;
        objects.push({
          key: item.Key,
          etag: item.ETag ?? `${item.LastModified?.toISOString() ?? ''}/${item.Size ?? ''}`,
          lastModified: item.LastModified?.toISOString(),
          size: item.Size,
          day: dayOfKey(item.Key),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (!token || seen.has(token)) return objects;
      seen.add(token);
    }
  }

  /**
   * Reads one object and hands its bytes to `consume`. A failure anywhere (before or during the body)
   * retries the whole object with a fresh `consume`, so a half-read file never leaks into the result.
   */
  async read<T>(
    key: string,
    consume: (body: AsyncIterable<Uint8Array>) => Promise<T>
  ): Promise<{ etag: string; value: T }> {
    return this.withRetries(EXPORT_GET_ENDPOINT, async () => {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.init.bucket, Key: key }), {
        abortSignal: this.init.signal,
      });
      const body = res.Body as AsyncIterable<Uint8Array> | undefined;
      if (!body || typeof body[Symbol.asyncIterator] !== 'function') {
        throw new ProviderError('bad_response', EXPORT_GET_ENDPOINT, `the export file ${key} came without a body`);
      }
      const value = await consume(counted(body, res.ContentLength, key));
      return { etag: res.ETag ?? '', value };
    });
  }

  private async withRetries<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    const { http } = this.init;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (raw) {
        const err = this.classify(raw, endpoint);
        if (!(err instanceof ProviderError) || !err.retryable || attempt >= http.retries || this.init.signal?.aborted) {
          throw err;
        }
        let delay: number;
        if (err.retryAfterSeconds !== undefined) {
          delay = err.retryAfterSeconds * 1000;
          if (delay > http.maxRetryAfterMs) throw err;
        } else {
          const ceiling = Math.min(http.maxDelayMs, http.baseDelayMs * 2 ** attempt);
          delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
        }
        this.init.logger.warn(
          { provider: 'yandex', endpoint, kind: err.kind, status: err.status, attempt: attempt + 1, delayMs: delay },
          'object storage call failed; retrying'
        );
        await sleep(delay, undefined, { signal: this.init.signal });
      }
    }
  }

  /** SDK, network and CSV failures → ProviderError (abort errors pass through untouched). */
  private classify(raw: unknown, endpoint: string): unknown {
    if (raw instanceof ProviderError) return raw;
    const e = (raw ?? {}) as SdkError;
    if (e.name === 'AbortError' || this.init.signal?.aborted) return raw;
    const where = `bucket ${this.init.bucket} at ${hostOf(this.init.endpoint)}`;
    const make = (kind: ProviderErrorKind, reason: string, status?: number, retryAfterSeconds?: number) =>
      new ProviderError(kind, endpoint, this.redact(`yandex ${endpoint}: ${reason}`), {
        status,
        retryAfterSeconds,
        cause: raw,
      });
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      return make('bad_response', `an export file is not valid CSV (${e.message ?? e.code})`);
    }
    const status = e.$metadata?.httpStatusCode;
    if (status !== undefined && (status < 200 || status >= 300)) {
      if (e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch') {
        return make('auth', `Object Storage rejected the export access key (${e.name})`, status);
      }
      if (status === 403) {
        return make(
          'forbidden',
          `the export access key may not read ${where}; grant its service account storage.viewer`,
          status
        );
      }
      if (e.name === 'NoSuchBucket') return make('not_found', `${where} does not exist`, status);
      const retryAfter =
        status === 429 || status === 503 ? parseRetryAfter(e.$response?.headers?.['retry-after']) : undefined;
      return make(
        kindForStatus(status),
        `HTTP ${status}${e.name && e.name !== 'Error' ? ` ${e.name}` : ''} from ${where}`,
        status,
        retryAfter
      );
    }
    if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT')
      return make('timeout', `no answer from ${where} within the timeout`);
    if (e.code && NETWORK_CODES.has(e.code) && e.message !== 'aborted') {
      return make('unreachable', `cannot reach Object Storage at ${hostOf(this.init.endpoint)} (${e.code})`);
    }
    if (e.message === 'aborted' || e.code === 'ECONNRESET')
      return make('bad_response', 'the connection closed in the middle of a file');
    if (status !== undefined) return make('bad_response', `the answer from ${where} could not be read`, status);
    return make('unreachable', `${e.name ?? 'error'} talking to ${where}`);
  }

  /** Provider messages are echoed to users: make sure neither key can be among them. */
  private redact(text: string): string {
    let out = text;
    for (const secret of [this.init.secretAccessKey, this.init.accessKeyId]) {
      if (secret) out = out.split(secret).join('***');
    }
    return out;
  }
}

/** Passes the body through, failing if it ends short of Content-Length (a connection cut mid-file). */
async function* counted(
  body: AsyncIterable<Uint8Array>,
  expected: number | undefined,
  key: string
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    yield chunk;
  }
  if (expected !== undefined && bytes < expected) {
    throw new ProviderError(
      'bad_response',
      EXPORT_GET_ENDPOINT,
      `the export file ${key} was cut short (${bytes} of ${expected} bytes)`
    );
  }
}
