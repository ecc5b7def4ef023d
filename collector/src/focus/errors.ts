/**
 * Errors of the FOCUS import and export. They carry the HTTP status the API answers with (the app's
 * error handler turns `statusCode` and `details` into `{error, message, details}`), so the services
 * stay free of HTTP imports and the CLI prints the same message.
 */
export interface FocusIssue {
  path: string;
  message: string;
}

export class FocusError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409 | 413 | 415 | 422,
    message: string,
    readonly details?: FocusIssue[]
  ) {
    super(message);
    this.name = 'FocusError';
  }
}

/** The file cannot be imported at all (no FOCUS header, empty, truncated): nothing is written. */
export const badFile = (message: string, details?: FocusIssue[]) => new FocusError(400, message, details);
