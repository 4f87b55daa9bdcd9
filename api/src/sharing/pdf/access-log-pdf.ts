import {
  CONSENT_PURPOSE_LABELS,
  OVERRIDE_LEGAL_BASIS_LABELS,
  type AccessLogEntry,
  type ConsentPurpose,
  type ConsentRecipientKind,
} from '@passerelle/contracts';
import { contentWidth, FONT, FONT_BOLD, formatDateTime, MUTED_COLOR, pageBottom, printable, renderPdf, textBlocks, TITLE_COLOR, type Pdf } from './pdf-kit';

/** What the access log is printed from: plain data. */
export interface AccessLogPdfData {
  personName: string;
  /** The structure that exports the log. */
  structureName: string;
  exportedAt: Date;
  /** Newest first, as AccessOverridesService.accessLog returns them. */
  entries: AccessLogEntry[];
  /** Set when the log was cut to its most recent entries: how many are shown at most. */
  limit?: number;
}

/** Labels of audited actions that the shared table (ACCESS_LOG_LABELS) may not name yet. */
const EXTRA_ACTION_LABELS: Record<string, string> = {
  'consent.notice.print': 'Impression de la notice de consentement',
};

const REASON_LABELS: Record<string, string> = {
  followed_by_my_structure: 'Vous accompagne',
  consent: 'Votre consentement',
  override: 'Accès exceptionnel',
  no_permission: 'Permission manquante',
  ...OVERRIDE_LEGAL_BASIS_LABELS,
};
const RECIPIENT_KIND_LABELS: Record<ConsentRecipientKind, string> = {
  structure: 'structure nommée',
  parcours: 'structures du parcours',
  network: 'tout le réseau',
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const OUTCOME_LABELS: Record<AccessLogEntry['outcome'], string> = { success: '', failure: ' (échec)', denied: ' (refusé)' };

/** The reason code of an audit row, in words: the access reason, the legal basis, the consent's purpose… */
export function reasonLabel(reason: string | null): string {
  if (!reason) return '';
  if (REASON_LABELS[reason]) return REASON_LABELS[reason];
  const [purpose, kind] = reason.split(':');
  if (purpose in CONSENT_PURPOSE_LABELS && kind in RECIPIENT_KIND_LABELS) {
    return `${CONSENT_PURPOSE_LABELS[purpose as ConsentPurpose]} (${RECIPIENT_KIND_LABELS[kind as ConsentRecipientKind]})`;
  }
  // Identifiers mean nothing on paper (a withdrawn consent's id, a merged file's id).
  return reason.replace(UUID, '').replace(/[:,]+$/, '').replace(/_/g, ' ').trim();
}

export function actionLabel(entry: AccessLogEntry): string {
  const label = entry.actionLabel !== entry.action ? entry.actionLabel : (EXTRA_ACTION_LABELS[entry.action] ?? entry.action);
  return label + OUTCOME_LABELS[entry.outcome];
}

interface Column {
  title: string;
  /** Share of the table's width. */
  share: number;
  cell: (e: AccessLogEntry) => string;
}
const COLUMNS: Column[] = [
  { title: 'Date et heure', share: 0.16, cell: (e) => formatDateTime(e.at) },
  { title: 'Action', share: 0.23, cell: actionLabel },
  { title: 'Agent', share: 0.15, cell: (e) => e.userName ?? '' },
  { title: 'Structure', share: 0.18, cell: (e) => e.structureName ?? '' },
  { title: 'Motif', share: 0.2, cell: (e) => reasonLabel(e.reason) },
  { title: 'Signalé', share: 0.08, cell: (e) => (e.flagged ? 'Oui' : '') },
];
const PAD = 3;
const FLAGGED_FILL = '#fdecea';
const HEADER_FILL = '#e3e3fd';

/**
 * The person's access log as a printable table (A4): who opened the file, when (Europe/Paris), from
 * which structure, why; exceptional accesses are flagged. For the person, on request.
 */
export function buildAccessLogPdf(data: AccessLogPdfData): Promise<Buffer> {
  return renderPdf(
    {
      title: 'Journal des accès au dossier',
      subject: `Journal des accès au dossier de ${data.personName}`,
      at: data.exportedAt,
      footer: `Passerelle — journal des accès de ${data.personName}, exporté le ${formatDateTime(data.exportedAt)}`,
    },
    (doc) => {
      const { field, width } = textBlocks(doc);
      doc.font(FONT_BOLD).fontSize(18).fillColor(TITLE_COLOR).text(printable('Journal des accès au dossier'), { width });
      doc.moveDown(0.5).fillColor('black');
      field('Personne : ', data.personName);
      field('Exporté le ', `${formatDateTime(data.exportedAt)}, par ${data.structureName}`);
      field('Nombre d’accès : ', String(data.entries.length));
      doc.moveDown(0.5);
      writeAccessLog(doc, data.entries, data.limit);
    },
  );
}

/**
 * The log itself, from the current position: what it records (and whether it was cut to its most
 * recent entries), then the table, or "Aucun accès enregistré.". Also part of the subject-access export.
 */
export function writeAccessLog(doc: Pdf, entries: AccessLogEntry[], limit?: number): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  doc
    .font(FONT)
    .fontSize(9)
    .fillColor(MUTED_COLOR)
    .text(
      printable(
        'Chaque consultation ou modification du dossier est enregistrée : qui, quand (heure de Paris), depuis quelle structure et pourquoi. Les accès exceptionnels, pour un motif légal, sont signalés et vérifiés par l’administrateur de la structure.',
      ),
      left,
      doc.y,
      { width },
    );
  if (limit && entries.length >= limit) {
    doc.text(printable(`Seuls les ${limit.toLocaleString('fr-FR')} accès les plus récents figurent ici.`), { width });
  }
  doc.fillColor('black').moveDown(0.8);
  if (entries.length === 0) {
    doc.font(FONT).fontSize(10).text(printable('Aucun accès enregistré.'), left, doc.y, { width });
    return;
  }
  table(doc, entries);
}

/** One row per access, the column titles again on every page. */
function table(doc: Pdf, entries: AccessLogEntry[]): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const widths = COLUMNS.map((c) => c.share * width);
  const cellHeight = (text: string, i: number) => doc.heightOfString(text || ' ', { width: widths[i] - 2 * PAD });

  const row = (cells: string[], options: { bold?: boolean; fill?: string }) => {
    doc.font(options.bold ? FONT_BOLD : FONT).fontSize(8);
    const height = Math.max(...cells.map(cellHeight)) + 2 * PAD;
    const top = doc.y;
    if (options.fill) doc.save().rect(left, top, width, height).fill(options.fill).restore();
    let x = left;
    cells.forEach((text, i) => {
      doc.fillColor('black').text(text, x + PAD, top + PAD, { width: widths[i] - 2 * PAD });
      x += widths[i];
    });
    doc.save().lineWidth(0.4).strokeColor('#999999').moveTo(left, top + height).lineTo(left + width, top + height).stroke().restore();
    doc.x = left;
    doc.y = top + height;
    return height;
  };
  const header = () => row(COLUMNS.map((c) => printable(c.title)), { bold: true, fill: HEADER_FILL });

  header();
  for (const entry of entries) {
    const cells = COLUMNS.map((c) => printable(c.cell(entry)));
    doc.font(FONT).fontSize(8);
    const height = Math.max(...cells.map(cellHeight)) + 2 * PAD;
    if (doc.y + height > pageBottom(doc)) {
      doc.addPage();
      header(); // the column titles again on every page
    }
    row(cells, { fill: entry.flagged ? FLAGGED_FILL : undefined });
  }
}
