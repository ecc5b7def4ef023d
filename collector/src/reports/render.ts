/** One entry point for every format; the file name says what and when, the checksum proves which. */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { renderCsv } from './csv.js';
import { CONTENT_TYPES, type ReportFormat, type SectionKind } from './definition.js';
import type { ReportModel } from './model.js';

export interface RenderedFile {
  body: Buffer;
  contentType: string;
  fileName: string;
  sha256: string;
}

export class RenderInputError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'RenderInputError';
  }
}

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

const CYRILLIC: Record<string, string> = Object.fromEntries(
  [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'].map((c, i) => [
    c,
    [
      'a',
      'b',
      'v',
      'g',
      'd',
      'e',
      'e',
      'zh',
      'z',
      'i',
      'y',
      'k',
      'l',
      'm',
      'n',
      'o',
      'p',
      'r',
      's',
      't',
      'u',
      'f',
      'kh',
      'ts',
      'ch',
      'sh',
      'shch',
      '',
      'y',
      '',
      'e',
      'yu',
      'ya',
    ][i]!,
  ])
);

/** `infrazen-ezhemesyachnyy-otchet_2026-10-01_2026-10-31.pdf`: ASCII only, safe in every header and mail client. */
export function fileNameFor(model: ReportModel, extension: string): string {
  const slug =
    [...model.name.toLowerCase()]
      .map((c) => CYRILLIC[c] ?? c)
      .join('')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'report';
  const day = (d: Date) => DateTime.fromJSDate(d).setZone(model.period.timezone).toISODate();
  return `infrazen-${slug}_${day(model.period.from)}_${day(model.period.lastDay)}.${extension}`;
}

export const PNG_SIZE = { width: 800, height: 400 };

export async function renderReport(
  model: ReportModel,
  format: ReportFormat,
  options: { section?: SectionKind } = {}
): Promise<RenderedFile> {
  let body: Buffer;
  let extension: string = format;
  switch (format) {
    // The PDF and chart libraries (ECharts, resvg, pdfkit, exceljs) load on first use, not at start-up.
    case 'pdf':
      body = await (await import('./pdf.js')).renderPdf(model);
      break;
    case 'xlsx':
      body = await (await import('./xlsx.js')).renderXlsx(model);
      break;
    case 'csv':
      body = renderCsv(model);
      break;
    case 'png': {
      const section = model.sections.find((s) => (options.section ? s.kind === options.section : s.charts.length > 0));
      if (!section) throw new RenderInputError(`the report has no section ${options.section ?? 'with a chart'}`);
      const spec = section.charts[0];
      if (!spec) throw new RenderInputError(`section ${section.kind} has no chart for this period`);
      const { chartPng } = await import('./charts.js');
      body = chartPng(spec, { ...PNG_SIZE, currency: model.currency, language: model.language });
      extension = `${section.kind}.png`;
      break;
    }
  }
  return { body, contentType: CONTENT_TYPES[format], fileName: fileNameFor(model, extension), sha256: sha256(body) };
}
