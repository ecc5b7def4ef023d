/**
 * The PDF brief (pdfkit): a title page with the headline figure and contents, then each section with its
 * KPI tiles, vector charts and tables; "page N of M" on every page. Pure JavaScript: no browser or
 * system fonts are needed where the collector runs.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { cellCurrency, cellText, cellType, describeFilters, pdfRows } from './cells.js';
import { chartSvg, PALETTE } from './charts.js';
import { FONT_BOLD, FONT_REGULAR } from './fonts.js';
import { formatDateTime, formatMoney, formatPercent, formatRange } from './format.js';
import { strings } from './i18n.js';
import type { ReportModel, ReportSection, ReportTable, Tile } from './model.js';

const MARGIN = { top: 50, bottom: 56, left: 45, right: 45 };
const ACCENT = PALETTE[0]!;
const INK = '#1f2328';
const MUTED = '#5f6672';
const RULE = '#d9dce1';
const CHART_HEIGHT = 230;

type Doc = PDFKit.PDFDocument;

interface Layout {
  doc: Doc;
  model: ReportModel;
  width: number;
  bottom: number;
}

function fmtOptions(model: ReportModel) {
  return { language: model.language, currency: model.currency, timezone: model.period.timezone };
}

function ensureSpace(l: Layout, height: number): void {
  if (l.doc.y + height > l.bottom) l.doc.addPage();
}

function titlePage(l: Layout): number {
  const { doc, model } = l;
  const t = strings(model.language);
  const o = fmtOptions(model);
  doc.rect(0, 0, doc.page.width, 120).fill(ACCENT);
  doc.fillColor('#ffffff').font('bold').fontSize(13).text(t.product, MARGIN.left, 44);
  doc.font('regular').fontSize(10).text(t.subtitle, MARGIN.left, 66);

  doc.fillColor(INK).font('bold').fontSize(24).text(model.name, MARGIN.left, 160, { width: l.width });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(14).fillColor(MUTED);
  doc.text(formatRange(model.period.from, model.period.lastDay, model.language, o.timezone), { width: l.width });

  // The headline: what was spent and how it moved.
  const boxY = doc.y + 24;
  doc.roundedRect(MARGIN.left, boxY, l.width, 78, 6).fill('#f3f6fb');
  doc
    .fillColor(MUTED)
    .font('regular')
    .fontSize(10)
    .text(t.totalSpend, MARGIN.left + 16, boxY + 14);
  doc
    .fillColor(INK)
    .font('bold')
    .fontSize(22)
    .text(formatMoney(model.summary.total, model.currency, model.language), MARGIN.left + 16, boxY + 30);
  if (model.summary.changePercent !== null) {
    const change = `${formatPercent(model.summary.changePercent, model.language, true)} ${t.vsPrevious}`;
    doc
      .font('regular')
      .fontSize(10)
      .fillColor(MUTED)
      .text(change, MARGIN.left + 16, boxY + 58);
  }

  doc.y = boxY + 100;
  const previousLast = new Date(model.period.previousTo.getTime() - 1);
  const meta: [string, string][] = [
    [t.organization, model.tenantName],
    [
      t.period,
      `${t.periods[model.period.kind]}: ${formatRange(model.period.from, model.period.lastDay, model.language, o.timezone)}`,
    ],
    [t.comparedWith, formatRange(model.period.previousFrom, previousLast, model.language, o.timezone)],
    [t.currency, model.currency],
    [t.scope, describeFilters(model.filters, t.scopeAll)],
    [t.generated, formatDateTime(model.generatedAt, model.language, o.timezone)],
  ];
  for (const [label, value] of meta) {
    const y = doc.y;
    doc.font('regular').fontSize(9).fillColor(MUTED).text(label, MARGIN.left, y, { width: 150 });
    doc
      .font('regular')
      .fontSize(10)
      .fillColor(INK)
      .text(value, MARGIN.left + 160, y, { width: l.width - 160 });
    doc.y = Math.max(doc.y, y + 14) + 4;
  }
  doc.y += 16;
  doc.font('bold').fontSize(12).fillColor(INK).text(t.contents, MARGIN.left, doc.y);
  // The contents list is written once page numbers are known (the document buffers its pages).
  return doc.y + 8;
}

function heading(l: Layout, section: ReportSection): void {
  ensureSpace(l, section.empty ? 90 : 60 + (section.charts.length ? CHART_HEIGHT : 60));
  const { doc } = l;
  doc.y += 6;
  doc.font('bold').fontSize(15).fillColor(INK).text(section.title, MARGIN.left, doc.y, { width: l.width });
  const y = doc.y + 4;
  doc
    .moveTo(MARGIN.left, y)
    .lineTo(MARGIN.left + l.width, y)
    .lineWidth(1)
    .strokeColor(ACCENT)
    .stroke();
  doc.y = y + 10;
}

function tiles(l: Layout, list: Tile[]): void {
  const { doc, model } = l;
  const perRow = 4;
  const gap = 8;
  const w = (l.width - gap * (perRow - 1)) / perRow;
  const h = 54;
  for (let i = 0; i < list.length; i += perRow) {
    ensureSpace(l, h + gap);
    const y = doc.y;
    list.slice(i, i + perRow).forEach((tile, j) => {
      const x = MARGIN.left + j * (w + gap);
      doc.roundedRect(x, y, w, h, 4).fill('#f3f6fb');
      doc
        .fillColor(MUTED)
        .font('regular')
        .fontSize(7.5)
        .text(tile.label, x + 8, y + 7, { width: w - 16, height: 20 });
      const value = cellText(tile.value, tile.type, { ...fmtOptions(model), key: tile.key });
      doc
        .fillColor(INK)
        .font('bold')
        .fontSize(value.length > 16 ? 10 : 12)
        .text(value, x + 8, y + 30, { width: w - 16, lineBreak: false });
    });
    doc.y = y + h + gap;
  }
  doc.y += 4;
}

function chart(l: Layout, section: ReportSection): void {
  for (const spec of section.charts) {
    ensureSpace(l, CHART_HEIGHT + 24);
    const { doc, model } = l;
    doc.font('bold').fontSize(9.5).fillColor(INK).text(spec.title, MARGIN.left, doc.y, { width: l.width });
    const y = doc.y + 4;
    const svg = chartSvg(spec, {
      width: l.width,
      height: CHART_HEIGHT,
      currency: model.currency,
      language: model.language,
    });
    SVGtoPDF(doc, svg, MARGIN.left, y, {
      width: l.width,
      height: CHART_HEIGHT,
      assumePt: true,
      fontCallback: (_family, bold) => (bold ? 'bold' : 'regular'),
      warningCallback: () => undefined,
    });
    doc.y = y + CHART_HEIGHT + 10;
  }
}

function table(l: Layout, data: ReportTable, notes: string[]): void {
  const { doc, model } = l;
  const t = strings(model.language);
  const o = fmtOptions(model);
  const weights = data.columns.map((c) => c.width ?? 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / sum) * l.width);
  const pad = 4;
  const size = 8;
  const { rows, truncated } = pdfRows(data);

  const cells = (row: Record<string, unknown>) =>
    data.columns.map((c) => {
      const r = row as Parameters<typeof cellType>[1];
      const type = cellType(c, r);
      return {
        text: cellText(r[c.key] ?? null, type, { ...o, currency: cellCurrency(c, r, model.currency), key: c.key }),
        right: type !== 'text' && type !== 'date',
      };
    });
  const rowHeight = (texts: { text: string }[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(size);
    return Math.max(16, ...texts.map((c, i) => doc.heightOfString(c.text, { width: widths[i]! - 2 * pad }) + 2 * pad));
  };
  const drawRow = (texts: { text: string; right: boolean }[], font: 'regular' | 'bold', fill?: string) => {
    const h = rowHeight(texts, font);
    const y = doc.y;
    if (fill) doc.rect(MARGIN.left, y, l.width, h).fill(fill);
    let x = MARGIN.left;
    texts.forEach((c, i) => {
      doc
        .font(font)
        .fontSize(size)
        .fillColor(INK)
        .text(c.text, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: c.right ? 'right' : 'left' });
      x += widths[i]!;
    });
    doc.y = y + h;
  };
  const header = data.columns.map((c) => ({ text: c.label, right: c.type !== 'text' && c.type !== 'date' }));
  const drawHeader = () => {
    drawRow(header, 'bold', '#e8ecf2');
  };

  ensureSpace(l, rowHeight(header, 'bold') + 20);
  drawHeader();
  rows.forEach((row, i) => {
    const texts = cells(row);
    if (doc.y + rowHeight(texts, 'regular') > l.bottom) {
      doc.addPage();
      drawHeader();
    }
    drawRow(texts, 'regular', i % 2 === 1 ? '#f7f8fa' : undefined);
  });
  if (data.total) {
    const texts = cells(data.total);
    ensureSpace(l, rowHeight(texts, 'bold'));
    doc
      .moveTo(MARGIN.left, doc.y)
      .lineTo(MARGIN.left + l.width, doc.y)
      .lineWidth(0.8)
      .strokeColor(RULE)
      .stroke();
    drawRow(texts, 'bold');
  }
  const footnotes = [...(truncated ? [t.notes.truncated(rows.length, data.rows.length)] : []), ...notes];
  for (const note of footnotes) {
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(note, MARGIN.left, doc.y + 4, { width: l.width });
  }
  doc.y += 14;
}

function emptySection(l: Layout, section: ReportSection): void {
  const { doc, model } = l;
  const t = strings(model.language);
  const y = doc.y;
  doc.roundedRect(MARGIN.left, y, l.width, 34, 4).fill('#f7f8fa');
  doc
    .fillColor(MUTED)
    .font('regular')
    .fontSize(10)
    .text(t.noData, MARGIN.left + 12, y + 11, { width: l.width - 24 });
  doc.y = y + 40;
  for (const note of section.notes) {
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(note, MARGIN.left, doc.y, { width: l.width });
  }
  doc.y += 14;
}

function footers(l: Layout): void {
  const { doc, model } = l;
  const t = strings(model.language);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 36;
    doc
      .moveTo(MARGIN.left, y - 6)
      .lineTo(doc.page.width - MARGIN.right, y - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.font('regular').fontSize(7.5).fillColor(MUTED);
    doc.text(`${t.product} · ${model.name}`, MARGIN.left, y, { width: l.width / 2, lineBreak: false });
    doc.text(t.page(i + 1, range.count), MARGIN.left + l.width / 2, y, {
      width: l.width / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

function contents(l: Layout, y: number, pages: number[]): void {
  const { doc, model } = l;
  doc.switchToPage(0);
  let line = y;
  model.sections.forEach((s, i) => {
    doc
      .font('regular')
      .fontSize(10)
      .fillColor(INK)
      .text(s.title, MARGIN.left, line, { width: l.width - 40, lineBreak: false });
    doc.text(String(pages[i]! + 1), MARGIN.left + l.width - 40, line, { width: 40, align: 'right', lineBreak: false });
    line += 16;
  });
}

export async function renderPdf(model: ReportModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: model.language === 'ru' ? 'ru-RU' : 'en-GB',
    info: {
      Title: model.name,
      Author: 'InfraZen',
      Subject: strings(model.language).subtitle,
      CreationDate: model.generatedAt,
      ModDate: model.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const l: Layout = {
    doc,
    model,
    width: doc.page.width - MARGIN.left - MARGIN.right,
    bottom: doc.page.height - MARGIN.bottom,
  };
  const contentsY = titlePage(l);
  const pages: number[] = [];
  doc.addPage();
  for (const section of model.sections) {
    heading(l, section);
    pages.push(doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1);
    if (section.tiles.length) tiles(l, section.tiles);
    if (section.empty) {
      emptySection(l, section);
      continue;
    }
    chart(l, section);
    // KPI tiles already say what its table would; the spreadsheet still gets the table.
    if (section.kind !== 'kpi') table(l, section.table, section.notes);
    else
      for (const note of section.notes)
        doc.font('regular').fontSize(7.5).fillColor(MUTED).text(note, { width: l.width });
  }
  contents(l, contentsY, pages);
  footers(l);
  doc.end();
  return done;
}
