import {
  CONSENT_COLLECTION_METHOD_LABELS,
  CONSENT_NOTICE_VERSION,
  CONSENT_PURPOSE_LABELS,
  CONSENT_PURPOSES,
  DATA_CATEGORIES,
  DATA_CATEGORY_DESCRIPTIONS,
  DATA_CATEGORY_LABELS,
  type Consent,
  type ConsentPurpose,
} from '@passerelle/contracts';
import { FONT, FONT_BOLD, formatDate, keepSpace, MUTED_COLOR, printable, renderPdf, textBlocks, TITLE_COLOR, type Pdf } from './pdf-kit';

/** What the notice is printed from: plain data, so the document can be built (and tested) anywhere. */
export interface NoticePdfData {
  /** The person, as named on the file ("Camille DURAND"). */
  personName: string;
  /** The structure that prints the notice: it processes the data (responsable du traitement). */
  structureName: string;
  /** The agent who hands the notice over. */
  agentName: string;
  /** The person's consents; only the active ones are printed. */
  consents: Consent[];
  printedAt: Date;
  /** Defaults to CONSENT_NOTICE_VERSION. */
  noticeVersion?: string;
  /** How long the file and the access log are kept (the tenant's settings); defaults to DEFAULT_RETENTION. */
  retention?: NoticeRetention;
}

export interface NoticeRetention {
  /** The file is anonymised this many months after the last contact. */
  personMonths: number;
  /** The access log (audit trail) is kept this many months. */
  auditMonths: number;
}
/** The platform's defaults: files 2 years after the last contact, access log 12 months. */
export const DEFAULT_RETENTION: NoticeRetention = { personMonths: 24, auditMonths: 12 };

/** "12 mois", "18 mois", "2 ans". */
export function formatMonths(months: number): string {
  return months >= 24 && months % 12 === 0 ? `${months / 12} ans` : `${months} mois`;
}

/** Why a category of information would be shared, in plain words (the "pourquoi" of the notice). */
export const PURPOSE_EXPLANATIONS: Record<ConsentPurpose, string> = {
  orientation: 'pour qu’un partenaire qui peut vous aider connaisse votre demande, sans que vous ayez à tout réexpliquer',
  coordinated_follow_up: 'pour que les professionnels qui vous accompagnent travaillent ensemble sur votre situation',
  network_visibility:
    'pour qu’une autre structure du territoire sache seulement que vous êtes déjà accompagné(e), et par qui : vos nom, prénoms et année de naissance, rien d’autre',
};

/** Who receives, in the person's words. */
export function recipientLabel(consent: Consent): string {
  switch (consent.recipient.kind) {
    case 'structure':
      return consent.recipient.structureName ?? 'Une structure partenaire';
    case 'parcours':
      return 'Les structures qui vous accompagnent dans votre parcours';
    case 'network':
      return 'Toutes les structures du territoire qui utilisent Passerelle';
  }
}

export const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase('fr-FR') + s.slice(1);

/** A consent in the person's words: what is shared, until when, how the agreement was collected (lower case). */
export function consentWording(consent: Consent): { categories: string; until: string; collected: string } {
  const categories =
    consent.recipient.kind === 'network'
      ? 'vos nom, prénoms et année de naissance, et les structures qui vous connaissent'
      : consent.categories.map((c) => DATA_CATEGORY_LABELS[c]).join(', ');
  const until = consent.validUntil ? `jusqu’au ${formatDate(consent.validUntil)}` : 'jusqu’à ce que vous retiriez votre accord';
  const collected = `le ${formatDate(consent.collectedAt)} par ${consent.collectedBy.structureName} (${CONSENT_COLLECTION_METHOD_LABELS[consent.collectionMethod].toLocaleLowerCase('fr-FR')})`;
  return { categories, until, collected };
}

/**
 * The information notice and consent form handed to the person (A4, French, plain language): who
 * processes their information, what Passerelle is for, what may be shared, with whom (their active
 * consents, or a blank form to fill in), why, how long it is kept, their rights, and a signature block.
 */
export function buildNoticePdf(data: NoticePdfData): Promise<Buffer> {
  const version = data.noticeVersion ?? CONSENT_NOTICE_VERSION;
  const active = data.consents.filter((c) => c.active);
  const retention = data.retention ?? DEFAULT_RETENTION;
  return renderPdf(
    {
      title: 'Notice d’information et formulaire de consentement',
      subject: `Partage des informations de ${data.personName}`,
      at: data.printedAt,
      footer: `Passerelle — notice d’information version ${version} — ${data.structureName}`,
    },
    (doc) => {
      const w = writer(doc);
      doc.font(FONT_BOLD).fontSize(18).fillColor(TITLE_COLOR).text(printable('Vos informations et leur partage'));
      doc.font(FONT).fontSize(12).fillColor(MUTED_COLOR).text(printable('Notice d’information et formulaire de consentement'));
      doc.moveDown(0.8).fillColor('black');
      w.field('Personne concernée : ', data.personName);
      w.field('Structure : ', data.structureName);
      w.field('Remise le ', `${formatDate(data.printedAt)}, par ${data.agentName}`);
      w.field('Version de la notice : ', version);

      w.heading('Qui est responsable de vos informations ?');
      w.paragraph(
        `${data.structureName} enregistre dans Passerelle les informations utiles à votre accompagnement. Elle en est responsable (on dit « responsable du traitement ») : c’est à elle que vous pouvez poser vos questions.`,
      );

      w.heading('À quoi sert Passerelle ?');
      w.paragraph(
        'Passerelle est l’outil des lieux d’accueil social du territoire : mairies, CCAS, espaces France Services, services sociaux du Département, permanences. Il sert à noter vos passages et vos demandes, à vous orienter vers le bon interlocuteur et à suivre ces démarches, pour que vous n’ayez pas à raconter votre situation à chaque guichet.',
      );

      w.heading('Vous décidez de ce qui est partagé');
      w.paragraph(
        'Sans votre accord, vos informations restent dans la structure qui vous accompagne. Vous pouvez accepter un partage, le limiter à certaines informations ou à certaines structures, ou le refuser. Votre choix ne change rien à l’aide que vous recevez.',
      );

      w.heading('Quelles informations peuvent être partagées ?');
      w.paragraph('Six catégories, que vous choisissez une par une :');
      for (const category of DATA_CATEGORIES) w.bullet(DATA_CATEGORY_LABELS[category], `${DATA_CATEGORY_DESCRIPTIONS[category]}.`);

      w.heading('Pourquoi les partager ?');
      for (const purpose of CONSENT_PURPOSES) w.bullet(CONSENT_PURPOSE_LABELS[purpose], `${PURPOSE_EXPLANATIONS[purpose]}.`);

      w.heading('Avec qui, et jusqu’à quand ?', active.length > 0 ? 110 : 270); // the blank form on one page
      if (active.length > 0) {
        w.paragraph(active.length === 1 ? 'Vous avez donné votre accord pour ce partage :' : `Vous avez donné votre accord pour ces ${active.length} partages :`);
        active.forEach((consent, i) => w.consent(i + 1, consent));
      } else {
        w.blankForm();
      }

      w.heading('Combien de temps vos informations sont-elles gardées ?');
      w.paragraph(
        `Votre dossier est gardé ${formatMonths(retention.personMonths)} après votre dernier contact avec l’une des structures. Ensuite, il est anonymisé : plus rien ne permet de savoir qu’il s’agit de vous.`,
      );
      w.paragraph(
        `Chaque consultation de votre dossier est notée dans un journal des accès : qui, quand, depuis quelle structure et pourquoi. Ce journal est gardé ${formatMonths(retention.auditMonths)} ; vous pouvez en demander une copie.`,
      );

      w.heading('Vos droits');
      w.paragraph('Vous pouvez à tout moment :');
      w.bullet('Accéder', 'à vos informations et en obtenir une copie.');
      w.bullet('Faire corriger', 'une information inexacte ou incomplète (droit de rectification).');
      w.bullet('Demander l’effacement', 'de vos informations, lorsque la loi le permet.');
      w.bullet('Vous opposer', 'à l’utilisation de vos informations (droit d’opposition).');
      w.bullet(
        'Retirer votre accord',
        'au partage, sans avoir à vous justifier : le partage s’arrête aussitôt, et cela n’a aucune conséquence sur l’aide que vous recevez.',
      );
      w.bullet(
        'Faire une réclamation',
        'auprès de la CNIL (Commission nationale de l’informatique et des libertés), sur www.cnil.fr ou par courrier.',
      );
      w.paragraph(`Pour exercer vos droits, adressez-vous à ${data.structureName}.`);

      w.signatures(data, active.length > 0);
    },
  );
}

/** The notice's building blocks, on one document. */
function writer(doc: Pdf) {
  const blocks = textBlocks(doc);
  const { left, width, body } = blocks;

  return {
    ...blocks,

    consent(n: number, consent: Consent) {
      const { categories, until, collected } = consentWording(consent);
      doc.moveDown(0.3);
      keepSpace(doc, 70);
      doc.font(FONT_BOLD).fontSize(10).fillColor('black').text(printable(`${n}. ${recipientLabel(consent)}`), left, doc.y, { width });
      const line = (label: string, value: string) => {
        doc.font(FONT_BOLD).text(printable(`${label} : `), left + 16, doc.y, { width: width - 16, continued: true });
        doc.font(FONT).text(printable(value));
      };
      line('Pour', `${CONSENT_PURPOSE_LABELS[consent.purpose]}, ${PURPOSE_EXPLANATIONS[consent.purpose]}`);
      line('Informations partagées', capitalize(categories));
      line('Durée', capitalize(until));
      line('Accord recueilli', collected);
      doc.x = left;
    },

    /** No consent yet: the categories and purposes as tick boxes, and lines to name the recipients. */
    blankForm() {
      /** Tick boxes, two to a row. */
      const boxes = (labels: string[]) => {
        const column = width / 2;
        for (let i = 0; i < labels.length; i += 2) {
          keepSpace(doc, 18);
          const y = doc.y;
          labels.slice(i, i + 2).forEach((label, j) => {
            const x = left + j * column;
            doc.lineWidth(0.8).rect(x + 4, y + 0.5, 9, 9).stroke();
            doc.font(FONT_BOLD).fontSize(10).text(printable(label), x + 20, y, { width: column - 24, lineBreak: false });
          });
          doc.x = left;
          doc.y = y + 18;
        }
      };
      const blankLine = (label: string) => {
        keepSpace(doc, 24);
        doc.moveDown(0.6);
        const y = doc.y;
        body().text(printable(label), left, y, { lineBreak: false });
        const from = left + (label ? doc.widthOfString(printable(label)) + 6 : 0);
        doc.save().lineWidth(0.5).dash(1.5, { space: 2 }).moveTo(from, y + 10).lineTo(left + width, y + 10).stroke().restore();
        doc.x = left;
        doc.y = y + 14;
      };
      blocks.paragraph('Aucun partage n’est enregistré pour l’instant. Si vous le souhaitez, cochez les informations que vous acceptez de partager :');
      doc.moveDown(0.3);
      boxes(DATA_CATEGORIES.map((c) => DATA_CATEGORY_LABELS[c]));
      blankLine('Avec la ou les structures suivantes :');
      blankLine('');
      blankLine('');
      doc.moveDown(0.8);
      blocks.paragraph('Pour :');
      doc.moveDown(0.2);
      boxes(CONSENT_PURPOSES.map((p) => CONSENT_PURPOSE_LABELS[p]));
      blankLine('Jusqu’au (facultatif) :');
      doc.font(FONT).fontSize(9).fillColor(MUTED_COLOR).text(printable('Sans date, le partage dure jusqu’à ce que vous retiriez votre accord.'), left, doc.y + 4, { width });
      body();
    },

    signatures(data: NoticePdfData, hasConsents: boolean) {
      doc.moveDown(0.7);
      keepSpace(doc, 175);
      doc.font(FONT_BOLD).fontSize(12).fillColor(TITLE_COLOR).text(printable('Signatures'), left, doc.y, { width });
      doc.moveDown(0.25);
      blocks.paragraph(
        hasConsents
          ? `Je soussigné(e), ${data.personName}, ai reçu cette notice et confirme mon accord pour le ou les partages décrits ci-dessus.`
          : `Je soussigné(e), ${data.personName}, ai reçu cette notice et donne mon accord pour le partage coché ci-dessus.`,
      );
      doc.moveDown(0.4);
      doc.font(FONT).text(printable('Date : ____ / ____ / ________'), left, doc.y, { width });
      doc.moveDown(0.6);
      const top = doc.y;
      const gap = 15;
      const half = (width - gap) / 2;
      const height = 95;
      doc.lineWidth(0.8).rect(left, top, half, height).stroke();
      doc.rect(left + half + gap, top, half, height).stroke();
      doc.font(FONT_BOLD).text(printable('Signature de la personne'), left + 8, top + 8, { width: half - 16 });
      doc.font(FONT).text(printable(data.personName), left + 8, doc.y, { width: half - 16 });
      doc.font(FONT_BOLD).text(printable('Nom et signature du professionnel'), left + half + gap + 8, top + 8, { width: half - 16 });
      doc.font(FONT).text(printable(`${data.agentName}, ${data.structureName}`), left + half + gap + 8, doc.y, { width: half - 16 });
      doc.x = left;
      doc.y = top + height + 6;
    },
  };
}
