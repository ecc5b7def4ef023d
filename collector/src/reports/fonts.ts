/**
 * The report font: DejaVu Sans from the `dejavu-fonts-ttf` package (Cyrillic, ₽ and the no-break
 * spaces, free licence), so reports look the same on every machine without system fonts.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);

export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

let measurer: PDFKit.PDFDocument | undefined;

/** Width of a text in the report font (chart layout uses the real glyph metrics, not a guess). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  measurer ??= new PDFDocument({ autoFirstPage: false });
  measurer.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(fontSize);
  return measurer.widthOfString(text);
}
