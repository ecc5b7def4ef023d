/**
 * Enough of the S3 API (Object Storage, `storage.yandexcloud.net`) for @aws-sdk/client-s3 with
 * path-style addressing: ListObjectsV2 (XML, `prefix`, `max-keys`, continuation tokens) and GetObject
 * (ETag = MD5 of the body, Last-Modified). Requests must be SigV4-signed with the export's access key
 * id; the signature itself is not recomputed (the sandbox checks who, not the cryptography, which the
 * SDK owns). Errors are S3's XML `<Error><Code>…</Code><Message>…</Message></Error>`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BillingExport, ExportFile } from './export.js';
import type { YandexAccount } from './model.js';

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function s3Error(reply: FastifyReply, status: number, code: string, message: string) {
  return reply
    .code(status)
    .type('application/xml')
    .send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>sandbox</RequestId></Error>`
    );
}

/** The access key id from `Authorization: AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/s3/aws4_request, …`. */
export function accessKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\//.exec(header) : null;
  return match?.[1];
}

export function checkS3Auth(
  account: YandexAccount,
  request: FastifyRequest,
  reply: FastifyReply
): FastifyReply | undefined {
  const key = accessKeyOf(request);
  if (key === undefined) return s3Error(reply, 403, 'AccessDenied', 'Access Denied');
  if (key !== account.accessKeyId)
    return s3Error(reply, 403, 'InvalidAccessKeyId', 'The access key Id you provided does not exist in our records.');
  return undefined;
}

export function listObjectsXml(
  account: YandexAccount,
  exp: BillingExport,
  query: Record<string, string | undefined>
): { status: number; xml: string } {
  const prefix = query.prefix ?? '';
  const maxKeys = Math.min(account.s3PageSize, Math.max(1, Number(query['max-keys']) || 1000));
  let keys = exp
    .days()
    .map((d) => exp.key(d))
    .filter((k) => k.startsWith(prefix))
    .sort();
  const token = query['continuation-token'];
  if (token) {
    const after = Buffer.from(token, 'base64url').toString();
    keys = keys.filter((k) => k > after);
  } else if (query['start-after']) {
    keys = keys.filter((k) => k > query['start-after']!);
  }
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((k) => exp.fileByKey(k)!)
    .map(
      (f: ExportFile) =>
        `<Contents><Key>${xmlEscape(f.key)}</Key><LastModified>${f.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(f.etag)}</ETag><Size>${Buffer.byteLength(f.body)}</Size><StorageClass>STANDARD</StorageClass></Contents>`
    )
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]!).toString('base64url')}</NextContinuationToken>`
    : '';
  return {
    status: 200,
    xml:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${xmlEscape(account.bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
      `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : ''}${next}${contents}</ListBucketResult>`,
  };
}
