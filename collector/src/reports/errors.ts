/** Errors of the report services; they carry the HTTP status the error handler answers with. */
export class ReportError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: { path: string; message: string }[]
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

export const notFound = (what: string) => new ReportError(404, `${what} not found`);
export const conflict = (message: string) => new ReportError(409, message);
export const badInput = (path: string, message: string) =>
  new ReportError(400, `Invalid body: ${path} ${message}`, [{ path, message }]);

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === constraint;
}
