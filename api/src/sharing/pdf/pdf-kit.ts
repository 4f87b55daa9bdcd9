import PDFDocument from 'pdfkit';

/**
 * What the printable documents share: an A4 page, the PDF standard fonts (their metrics ship inside
 * pdfkit and load from node_modules at run time, nothing to bundle), French dates in Europe/Paris,
 * and the footer on every page.
 */
export type Pdf = PDFKit.PDFDocument;

export const FONT = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
/** Blue France, the State's blue, for titles; the body stays black for printing. */
export const TITLE_COLOR = '#000091';
export const MUTED_COLOR = '#555555';
export const MARGIN = 50;
/** Room kept under the content for the footer. */
const FOOTER_HEIGHT = 30;

const TIME_ZONE = 'Europe/Paris';
const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });

/** "03/11/2026" in Europe/Paris. */
export function formatDate(at: Date | string): string {
  return DATE.format(new Date(at));
}

/** "03/11/2026 14:05" in Europe/Paris. */
export function formatDateTime(at: Date | string): string {
  const date = new Date(at);
  return `${DATE.format(date)} ${TIME.format(date)}`;
}

/**
 * The characters the standard fonts can draw (Windows-1252): ASCII, Latin-1 and the few extra signs
 * French needs (’ « » – — … € œ Œ). Anything else would print as a wrong glyph.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const isWinAnsi = (c: string) => {
  const code = c.charCodeAt(0);
  return c.length === 1 && (code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c));
};
/** Letters that do not decompose into a base letter and an accent. */
const FALLBACK: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't', ĸ: 'k', ŉ: "'n" };
const SPACES = /[\t\u2000-\u200a\u202f\u205f\u3000]/g;
const HYPHENS = /[\u2010\u2011\u2012\u2212]/g;

/**
 * Text the standard fonts can draw: "Şahin" → "Sahin", "Nguyễn" → "Nguyen" (the accent dropped, the
 * letter kept), other scripts → "?". Names typed in a French desk are almost always in Latin letters.
 */
export function printable(text: string): string {
  let out = '';
  for (const c of text.replace(/\r\n?/g, '\n').replace(SPACES, '\u00a0').replace(HYPHENS, '-')) {
    if (isWinAnsi(c)) out += c;
    else if (FALLBACK[c]) out += FALLBACK[c];
    else {
      const base = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base !== '' && [...base].every(isWinAnsi) ? base : '?';
    }
  }
  return out;
}

export interface PdfMeta {
  title: string;
  subject: string;
  /** The document's date (also its creation date, so the same data gives the same PDF). */
  at: Date;
  /** Left part of the footer; "Page n / N" is added on the right. */
  footer: string;
}

/** Renders an A4 document written by `write`, with the footer on every page, into a Buffer. */
export function renderPdf(meta: PdfMeta, write: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_HEIGHT },
      bufferPages: true,
      lang: 'fr-FR',
      displayTitle: true,
      info: { Title: printable(meta.title), Subject: printable(meta.subject), Author: 'Passerelle', Creator: 'Passerelle', CreationDate: meta.at },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.font(FONT).fontSize(10).fillColor('black');
      write(doc);
      writeFooters(doc, printable(meta.footer));
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function writeFooters(doc: Pdf, footer: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not open a new page
    const y = doc.page.height - MARGIN;
    const width = doc.page.width - 2 * MARGIN;
    doc.font(FONT).fontSize(8).fillColor(MUTED_COLOR);
    doc.text(footer, MARGIN, y, { width: width - 70, lineBreak: false });
    doc.text(`Page ${i - start + 1} / ${count}`, MARGIN + width - 70, y, { width: 70, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('black');
}

/** The bottom of the writable area of the current page. */
export function pageBottom(doc: Pdf): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Opens a new page unless `height` points still fit on this one. */
export function keepSpace(doc: Pdf, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

export function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** The text blocks the documents are written with, on one document: labelled fields, section titles, paragraphs, bullets. */
export function textBlocks(doc: Pdf) {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const body = () => doc.font(FONT).fontSize(10).fillColor('black');

  return {
    left,
    width,
    body,

    /** "Label : value", the label (with its punctuation) in bold. */
    field(label: string, value: string) {
      doc.font(FONT_BOLD).fontSize(10).fillColor('black').text(printable(label), left, doc.y, { continued: true, width });
      doc.font(FONT).text(printable(value));
    },

    /** A section title, on the next page unless `keep` points of the section fit under it on this one. */
    heading(title: string, keep = 50) {
      doc.moveDown(0.7);
      keepSpace(doc, keep);
      doc.font(FONT_BOLD).fontSize(12).fillColor(TITLE_COLOR).text(printable(title), left, doc.y, { width });
      doc.moveDown(0.25);
      body();
    },

    paragraph(text: string) {
      body().text(printable(text), left, doc.y, { width, paragraphGap: 3, lineGap: 1 });
    },

    /** "• Label : text", the label in bold, lines after the first aligned on the text. */
    bullet(label: string, text: string) {
      body();
      keepSpace(doc, 14);
      const y = doc.y;
      doc.text('•', left + 4, y, { lineBreak: false });
      doc.font(FONT_BOLD).text(printable(`${label} : `), left + 16, y, { width: width - 16, continued: true, lineGap: 1 });
      doc.font(FONT).text(printable(text), { paragraphGap: 3, lineGap: 1 });
      doc.x = left;
    },
  };
}
