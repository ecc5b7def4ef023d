/** FOCUS file upload: the body is streamed into the import service, never buffered (src/focus/). */
import type { Readable } from 'node:stream';
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FocusError } from '../../../../../focus/errors.js';
import { FOCUS_MAX_FILE_BYTES, importFocus, type FocusSourceInput } from '../../../../../focus/import.js';
import type { Logger } from '../../../../../observability/logger.js';
import { authErrors, errorSchema } from '../../../../schemas.js';
import { focusImportResultSchema } from '../../focus-schemas.js';
import { auditActor, connectionParamsSchema } from '../schemas.js';

/** Body types taken as the file itself, handed over as a stream (never buffered). */
const RAW_TYPES = ['text/csv', 'application/csv', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** The file parts of a multipart upload, in order; other fields are ignored. */
async function* multipartFiles(request: FastifyRequest): AsyncGenerator<FocusSourceInput> {
  let parts: AsyncIterableIterator<Multipart>;
  try {
    parts = request.parts();
  } catch (err) {
    throw uploadError(err);
  }
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (err) {
      throw uploadError(err);
    }
    if (next.done) return;
    const part = next.value;
    if (part.type === 'file') yield { name: part.filename || undefined, stream: part.file };
  }
}

/** Busboy's complaints about a malformed body are plain errors: they are the client's, a 400. */
function uploadError(err: unknown): Error {
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return err as Error;
  return new FocusError(400, `The multipart body cannot be read: ${(err as Error).message ?? String(err)}`);
}

/** FOCUS file upload into a `focus` connection. */
const focusImport: FastifyPluginAsyncZod = async (fastify) => {
  for (const type of RAW_TYPES) {
    fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
  }
  await fastify.register(multipart, {
    limits: { fileSize: FOCUS_MAX_FILE_BYTES, files: 100, fields: 20, parts: 200 },
  });

  fastify.post(
    '/focus-import',
    {
      config: { minRole: 'Admin' },
      schema: {
        tags: ['focus'],
        summary: 'Import a FOCUS file into a focus connection',
        description:
          'Body: the CSV itself (`Content-Type: text/csv`, or gzip-compressed as `application/gzip`), or ' +
          '`multipart/form-data` with one or more files (the parts of one export, imported together). FOCUS 1.0–1.2 ' +
          'column names; up to 2 GiB per file, streamed. The import is atomic and replaces the billing periods the ' +
          'file contains, so importing the same file again changes nothing. Rows with a bad value are rejected ' +
          '(line and reason; the first 100 are listed) and the rest is imported; a file without a FOCUS header is a 400 ' +
          'and writes nothing.',
        params: connectionParamsSchema,
        response: {
          200: focusImportResultSchema,
          400: errorSchema,
          404: errorSchema,
          409: errorSchema,
          413: errorSchema,
          415: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      let sources: AsyncIterable<FocusSourceInput> | Iterable<FocusSourceInput>;
      if (request.isMultipart()) {
        sources = multipartFiles(request);
      } else if (request.body && typeof (request.body as Readable).pipe === 'function') {
        sources = [{ stream: request.body as Readable }];
      } else {
        throw new FocusError(
          415,
          `Send the FOCUS file as text/csv (or application/gzip) or as multipart/form-data, not ${request.headers['content-type'] ?? 'an empty body'}`
        );
      }
      const actor = auditActor(request);
      return importFocus(
        {
          db: fastify.db,
          storageMode: fastify.dbState.mode ?? 'plain',
          logger: request.log as Logger,
        },
        {
          tenantId: request.auth!.tenantId,
          connectionId: request.params.id,
          actor: { actor: actor.actor, actorKind: actor.actorKind, sourceIp: actor.sourceIp, tokenId: actor.tokenId },
          sources,
        }
      );
    }
  );
};

export default focusImport;
