/**
 * Client errors of the analytics services (budgets, allocation rules, unit metrics). They carry their
 * HTTP status and, for bad input, `details` naming each offending field or row, which the app's error
 * handler (plugins/errors.ts) answers as `{error, message, details}`.
 */
export interface InputIssue {
  /** JSON pointer into the body (`/items/3/value`), or the CSV row (`row 4`). */
  path: string;
  message: string;
}

export class AnalyticsError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409,
    message: string,
    readonly details?: InputIssue[]
  ) {
    super(message);
    this.name = 'AnalyticsError';
  }
}

/** Bad input: a 400 listing every issue (the first few in the message). */
export function inputError(issues: InputIssue[]): AnalyticsError {
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  return new AnalyticsError(400, `Invalid input: ${shown.join('; ')}${more}`, issues);
}

export function notFound(what: string): AnalyticsError {
  return new AnalyticsError(404, `${what} not found`);
}
