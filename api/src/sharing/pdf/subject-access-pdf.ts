import {
  ACCESSIBILITY_LINKS,
  CONSENT_PURPOSE_LABELS,
  CONTACT_ANSWER_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_PREFERENCE_LABELS,
  DATA_CATEGORY_LABELS,
  DOCUMENT_KIND_LABELS,
  HANDOFF_STATUS_LABELS,
  HOUSEHOLD_SITUATION_LABELS,
  IN_CHARGE_KIND_LABELS,
  NATIONALITY_GROUP_LABELS,
  NEED_BOUQUETS,
  OVERRIDE_LEGAL_BASIS_LABELS,
  REFERENT_CRITERION_LABELS,
  REFERENT_END_REASON_LABELS,
  REFERRAL_OUTCOME_LABELS,
  REFERRAL_STATUS_LABELS,
  REFUSAL_REASON_LABELS,
  REQUEST_STATUS_LABELS,
  type Consent,
  type Contact,
  type ContactNeed,
  type NeedBouquetCode,
  type Person,
  type PersonDocument,
  type PersonRequest,
  type Referent,
  type Referral,
  type SubjectAccessExport,
  type SubjectAccessHandoff,
} from '@passerelle/contracts';
import { personDisplayName } from '../../contacts/contact-rules';
import { writeAccessLog } from './access-log-pdf';
import { capitalize, consentWording, recipientLabel } from './notice-pdf';
import { FONT, FONT_BOLD, formatDate, formatDateTime, keepSpace, MUTED_COLOR, printable, renderPdf, textBlocks, TITLE_COLOR, type Pdf } from './pdf-kit';

export interface SubjectAccessPdfOptions {
  /** The access log was read up to this many entries (ACCESS_LOG_MAX): says so when it is full. */
  accessLogLimit?: number;
}

const NEED_LABELS = new Map<NeedBouquetCode, string>(NEED_BOUQUETS.map((b) => [b.code, b.label]));
const LINK_LABELS = new Map<number, string>(ACCESSIBILITY_LINKS.map((l) => [l.code, l.label]));

/** "Hébergement / logement – Expulsion : audience le 12" (bouquet, sub-need, detail). */
export function needLabel(need: Pick<ContactNeed, 'bouquet' | 'subNeed'> & { detail?: string | null }): string {
  const bouquet = NEED_LABELS.get(need.bouquet) ?? `Besoin n° ${need.bouquet}`;
  return `${bouquet}${need.subNeed ? ` – ${need.subNeed}` : ''}${need.detail ? ` : ${need.detail}` : ''}`;
}

/** Birth date as it was typed: "14/07/1984", "07/1984" or "1984". */
export function formatBirth(birthDate: string, precision: Person['birthDatePrecision']): string {
  const [year, month, day] = birthDate.slice(0, 10).split('-');
  switch (precision ?? 'day') {
    case 'year':
      return year;
    case 'month':
      return `${month}/${year}`;
    case 'day':
      return `${day}/${month}/${year}`;
  }
}

/** "800 octets", "245 Ko", "1,4 Mo". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

const yesNo = (value: boolean) => (value ? 'Oui' : 'Non');
const on = (at: string | null) => (at ? ` le ${formatDate(at)}` : '');

/** The orientation's status in words, with its date: "Refusée le 06/10/2026", "Réorientée le 07/10/2026 vers CCAS de Gap". */
export function referralState(referral: Referral): string {
  const label = REFERRAL_STATUS_LABELS[referral.status];
  switch (referral.status) {
    case 'sent':
      return label;
    case 'received':
      return `${label}${on(referral.receivedAt)}`;
    case 'accepted':
    case 'refused':
      return `${label}${on(referral.answeredAt)}`;
    case 'redirected':
      return `${label}${on(referral.answeredAt)}${referral.redirectedTo ? ` vers ${referral.redirectedTo.name}` : ''}`;
    case 'in_charge':
      return `${label}${on(referral.inChargeAt)}`;
    case 'closed':
      return `${label}${on(referral.closedAt)}`;
    case 'cancelled':
      return `${label}${on(referral.cancelledAt)} par ${referral.from.name}`;
  }
}

/** "depuis le 02/03/2026 (en cours)", "du 02/03/2026 au 15/06/2026". */
export function referentPeriod(referent: Referent): string {
  return referent.endedAt
    ? `du ${formatDate(referent.startedAt)} au ${formatDate(referent.endedAt)}`
    : `depuis le ${formatDate(referent.startedAt)} (en cours)`;
}

/** "Hugo Blanc (France Services A)", or the structure alone when the name is not given. */
const party = (side: SubjectAccessHandoff['from']) => (side.userName ? `${side.userName} (${side.structureName})` : side.structureName);

/** The identity fields present in the file, in the order of the identity form, with their values in words. */
export function identityFields(person: Person): [label: string, value: string][] {
  const fields: [string, string | null | undefined][] = [
    ['Nom d’usage', person.usageLastName],
    ['Nom de naissance', person.birthLastName],
    ['Prénom(s)', person.firstNames],
    ['Date de naissance', person.birthDate ? formatBirth(person.birthDate, person.birthDatePrecision) : null],
    [
      'Commune de résidence',
      person.communeName && person.communeInsee ? `${person.communeName} (${person.communeInsee})` : (person.communeName ?? person.communeInsee),
    ],
    ['Sans domicile stable', person.noStableHome === undefined ? null : yesNo(person.noStableHome)],
    ['Domiciliation', person.domiciliation],
    ['Téléphone', person.phone],
    ['Courriel', person.email],
    ['Langues parlées', person.languages?.length ? person.languages.join(', ') : null],
    ['Besoin d’un interprète', person.needsInterpreter === undefined ? null : yesNo(person.needsInterpreter)],
    ['Préférence de contact', person.contactPreference ? CONTACT_PREFERENCE_LABELS[person.contactPreference] : null],
    ['Situation familiale', person.household ? HOUSEHOLD_SITUATION_LABELS[person.household] : null],
    ['Enfants à charge', person.dependentChildren === null || person.dependentChildren === undefined ? null : String(person.dependentChildren)],
    ['Nationalité', person.nationalityGroup ? NATIONALITY_GROUP_LABELS[person.nationalityGroup] : null],
    ['Dossier créé le', formatDate(person.createdAt)],
    ['Dernière modification le', formatDate(person.updatedAt)],
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === 'string' && f[1].trim() !== '');
}

/**
 * The person's right of access (GDPR art. 15) on paper, in plain French: everything the exporting
 * structure holds on them (what SubjectAccessService.export returns: identity, référents de
 * parcours, contacts with the structure's internal notes, requests, orientations, handoffs with the
 * notes of its own, the list of documents, consents, exceptional accesses without the agents'
 * justifications, the access log), whether the file is anonymised, and which structures follow them,
 * each answering for its own records.
 */
export function buildSubjectAccessPdf(data: SubjectAccessExport, options: SubjectAccessPdfOptions = {}): Promise<Buffer> {
  const structure = data.generatedBy.structureName;
  const personName =
    personDisplayName({ usageLastName: data.person.usageLastName ?? null, birthLastName: data.person.birthLastName ?? null, firstNames: data.person.firstNames ?? null }) ??
    'Personne sans nom';
  const at = new Date(data.generatedAt);
  return renderPdf(
    {
      title: `Vos données détenues par ${structure}`,
      subject: `Droit d’accès de ${personName} (RGPD, article 15)`,
      at,
      footer: `Passerelle — droit d’accès de ${personName}, établi le ${formatDateTime(at)}`,
    },
    (doc) => {
      const w = writer(doc);
      doc.font(FONT_BOLD).fontSize(18).fillColor(TITLE_COLOR).text(printable(`Vos données détenues par ${structure}`), w.left, doc.y, { width: w.width });
      doc.font(FONT).fontSize(12).fillColor(MUTED_COLOR).text(printable('Droit d’accès à vos informations (RGPD, article 15)'));
      doc.moveDown(0.8).fillColor('black');
      w.field('Personne concernée : ', personName);
      w.field('Établi le ', `${formatDateTime(at)}, par ${data.generatedBy.userName} (${structure})`);
      if (data.person.anonymizedAt) {
        w.field(
          'Dossier anonymisé le ',
          `${formatDate(data.person.anonymizedAt)} : votre identité et les textes écrits à votre sujet ont été effacés ; seuls restent des dates, des statuts et des codes.`,
        );
      }

      w.heading('Ce que contient ce document');
      w.paragraph(
        `Vous avez le droit de savoir quelles informations vous concernant sont enregistrées et d’en obtenir une copie : c’est le droit d’accès (article 15 du règlement général sur la protection des données). Ce document reprend tout ce que ${structure} détient sur vous dans Passerelle : votre identité, votre référent de parcours, vos passages et vos demandes, avec les notes internes de ses professionnels, vos orientations vers d’autres structures, les passages de relais entre professionnels, ce que d’autres structures lui ont partagé avec votre accord, la liste de vos documents, vos consentements, les accès exceptionnels à votre dossier et le journal des accès.`,
      );
      w.paragraph(
        'Chaque structure qui vous accompagne est responsable de ses propres informations et y répond elle-même : pour savoir ce qu’une autre structure a noté, adressez-vous à elle.',
      );
      if (data.followedBy.length > 0) {
        w.paragraph(data.followedBy.length === 1 ? 'Votre dossier est suivi par :' : `Votre dossier est suivi par ces ${data.followedBy.length} structures :`);
        for (const f of data.followedBy) w.bullet(f.structureName, `depuis le ${formatDate(f.since)}`);
      } else {
        w.paragraph('Aucune structure ne suit votre dossier.');
      }

      w.heading('Identité et coordonnées');
      for (const [label, value] of identityFields(data.person)) w.field(`${label} : `, value);

      w.heading('Référent de parcours', 80);
      if (data.referents.length === 0) w.paragraph('Aucun référent de parcours désigné.');
      else {
        w.paragraph('Le professionnel qui vous suit tout au long de votre parcours, désigné avec vous, puis ceux qui l’ont été avant lui.');
        for (const referent of data.referents) w.referent(referent);
      }

      w.heading('Passages', 90);
      if (data.contacts.length === 0) w.paragraph('Aucun passage enregistré.');
      else {
        w.paragraph(
          `Vos rencontres, appels et échanges écrits avec les structures, tels qu’elles les ont notés. Les notes internes sont écrites par les professionnels de ${structure} pour leur travail ; elles figurent ici parce que vous avez le droit de les connaître.`,
        );
        for (const contact of data.contacts) w.contact(contact, structure);
      }

      w.heading('Demandes', 80);
      if (data.requests.length === 0) w.paragraph('Aucune demande enregistrée.');
      else for (const request of data.requests) w.request(request);

      w.heading('Orientations', 80);
      if (data.referrals.length === 0) w.paragraph('Aucune orientation enregistrée.');
      else {
        w.paragraph(
          `Les orientations vers une autre structure envoyées ou reçues par ${structure}, et celles que d’autres structures lui ont partagées avec votre accord.`,
        );
        for (const referral of data.referrals) w.referral(referral);
      }

      w.heading('Passages de relais', 80);
      if (data.handoffs.length === 0) w.paragraph('Aucun passage de relais enregistré.');
      else {
        w.paragraph(
          `Quand un professionnel confie votre accompagnement à un autre, il lui transmet une note. Les notes des relais passés ou reçus par ${structure} figurent ici ; pour les autres relais, seul le fait qu’ils ont eu lieu est indiqué.`,
        );
        for (const handoff of data.handoffs) w.handoff(handoff);
      }

      w.heading('Documents');
      if (data.documents.length === 0) w.paragraph('Aucun document enregistré.');
      else {
        w.paragraph('Le contenu des documents n’est pas reproduit ici ; vous pouvez en demander une copie à la structure qui les a déposés.');
        for (const document of data.documents) w.bullet(document.title, documentLine(document));
      }

      w.heading('Consentements', 90);
      if (data.consents.length === 0) w.paragraph('Aucun consentement enregistré : vos informations ne sont partagées avec aucune autre structure.');
      else {
        w.paragraph('Les accords que vous avez donnés pour partager vos informations avec d’autres structures, en cours ou passés.');
        data.consents.forEach((consent, i) => w.consent(i + 1, consent, at));
      }

      w.heading('Accès exceptionnels', 90);
      w.paragraph(
        'Un professionnel peut, pour un motif prévu par la loi (un danger pour vous ou pour autrui, une obligation légale), ouvrir votre dossier sans votre accord, pour quelques heures. Chaque accès de ce type est tracé et vérifié par l’administrateur de sa structure.',
      );
      if (data.exceptionalAccesses.length === 0) w.paragraph('Aucun accès exceptionnel.');
      else for (const access of data.exceptionalAccesses) w.exceptionalAccess(access);

      w.heading('Journal des accès', 110);
      writeAccessLog(doc, data.accessLog, options.accessLogLimit);
      w.body();

      w.heading('Vos droits');
      w.paragraph(
        `Si une information est inexacte ou incomplète, vous pouvez la faire corriger. Vous pouvez aussi demander l’effacement de vos informations lorsque la loi le permet, vous opposer à leur utilisation, ou retirer votre accord à un partage, sans avoir à vous justifier. Pour cela, adressez-vous à ${structure}. Vous pouvez aussi faire une réclamation auprès de la CNIL (Commission nationale de l’informatique et des libertés), sur www.cnil.fr ou par courrier.`,
      );
    },
  );
}

function documentLine(document: PersonDocument): string {
  return [
    DOCUMENT_KIND_LABELS[document.kind],
    `catégorie « ${DATA_CATEGORY_LABELS[document.category]} »`,
    `déposé le ${formatDate(document.createdAt)} par ${document.structureName}`,
    formatSize(document.sizeBytes),
  ].join(' ; ');
}

/** Whether a consent is in force, and if not since when. */
function consentState(consent: Consent, at: Date): string {
  if (consent.withdrawnAt) {
    const by = consent.withdrawnBy ? ` par ${consent.withdrawnBy.userName} (${consent.withdrawnBy.structureName})` : '';
    return `Retiré le ${formatDate(consent.withdrawnAt)}${by}`;
  }
  if (consent.active) return 'En cours';
  if (consent.validUntil && new Date(consent.validUntil) <= at) return `Terminé le ${formatDate(consent.validUntil)}`;
  return 'Terminé';
}

/** The export's building blocks, on one document. */
function writer(doc: Pdf) {
  const blocks = textBlocks(doc);
  const { left, width } = blocks;

  /** A titled record ("14/07/2026 10:30 — CCAS de Gap"), then its "Label : value" lines, indented; empty values left out. */
  const record = (title: string, lines: [string, string | null | undefined][]) => {
    const shown = lines.filter((l): l is [string, string] => typeof l[1] === 'string' && l[1].trim() !== '');
    doc.moveDown(0.3);
    keepSpace(doc, Math.min(14 * (shown.length + 1), 100));
    doc.font(FONT_BOLD).fontSize(10).fillColor('black').text(printable(title), left, doc.y, { width });
    for (const [label, value] of shown) {
      keepSpace(doc, 13);
      doc.font(FONT_BOLD).text(printable(`${label} : `), left + 16, doc.y, { width: width - 16, continued: true });
      doc.font(FONT).text(printable(value));
    }
    doc.x = left;
  };

  return {
    ...blocks,

    contact(contact: Contact, structure: string) {
      const summary =
        contact.summary === undefined ? `non partagée avec ${structure} ; vous pouvez la demander à ${contact.structureName}` : contact.summary;
      record(`${formatDateTime(contact.occurredAt)} — ${contact.structureName}`, [
        ['Canal', CONTACT_CHANNEL_LABELS[contact.channel] + (contact.durationMinutes ? `, ${contact.durationMinutes} min` : '')],
        ['Reçu(e) par', contact.agent.name],
        ['Besoins', contact.needs.length > 0 ? contact.needs.map(needLabel).join(' ; ') : 'aucun noté'],
        ['Réponse apportée', CONTACT_ANSWER_LABELS[contact.answer]],
        ['Synthèse', summary],
        [`Note interne de ${contact.structureName}`, contact.privateNote],
      ]);
    },

    request(request: PersonRequest) {
      record(needLabel({ bouquet: request.bouquet, subNeed: request.subNeed }), [
        ['Structure', request.structureName],
        ['État', REQUEST_STATUS_LABELS[request.status]],
        ['Ouverte le', formatDate(request.openedAt)],
        ['Close le', request.closedAt ? formatDate(request.closedAt) : null],
        ['Motif de clôture', request.closedReason],
        ['Description', request.description],
      ]);
    },

    consent(n: number, consent: Consent, at: Date) {
      const { categories, until, collected } = consentWording(consent);
      record(`${n}. ${recipientLabel(consent)}`, [
        ['Pour', CONSENT_PURPOSE_LABELS[consent.purpose]],
        ['Informations partagées', capitalize(categories)],
        ['Accord recueilli', collected],
        ['Durée', capitalize(until)],
        ['État', consentState(consent, at)],
      ]);
    },

    referent(referent: Referent) {
      const contact = [referent.structure.phone, referent.structure.email].filter((v): v is string => !!v).join(', ');
      record(`${referent.user.name} (${referent.structure.name})`, [
        ['Période', referentPeriod(referent)],
        ['Fin', referent.endedReason ? REFERENT_END_REASON_LABELS[referent.endedReason] : null],
        ['Critères du choix', referent.criteria.length > 0 ? referent.criteria.map((c) => REFERENT_CRITERION_LABELS[c]).join(' ; ') : 'aucun critère noté'],
        ['Choisi(e) avec vous', yesNo(referent.chosenWithPerson)],
        [`Précisions de ${referent.structure.name}`, referent.criteriaNote],
        ['Désigné(e) par', referent.designatedBy],
        ['Pour joindre la structure', contact],
      ]);
    },

    referral(referral: Referral) {
      record(`${formatDate(referral.sentAt)} — ${referral.from.name} vers ${referral.to.name}`, [
        ['Envoyée par', referral.from.userName],
        ['Service', referral.service?.name],
        ['Besoin', needLabel({ bouquet: referral.bouquet, subNeed: null })],
        ['État', referralState(referral)],
        ['Motif du refus', referral.refusalReason ? REFUSAL_REASON_LABELS[referral.refusalReason] : null],
        ['Prise en charge', referral.inChargeKind ? `${IN_CHARGE_KIND_LABELS[referral.inChargeKind]}${on(referral.inChargeAt)}` : null],
        ['Résultat', referral.outcome ? REFERRAL_OUTCOME_LABELS[referral.outcome] : null],
        ['Ce qui a fait obstacle', referral.brokenLink ? (LINK_LABELS.get(referral.brokenLink) ?? null) : null],
        ['Commentaire', referral.statusComment],
        ['Message', referral.message],
      ]);
    },

    handoff(handoff: SubjectAccessHandoff) {
      record(`${formatDate(handoff.proposedAt)} — ${party(handoff.from)} vers ${party(handoff.to)}`, [
        ['État', `${HANDOFF_STATUS_LABELS[handoff.status]}${on(handoff.answeredAt)}`],
        [
          'Note de transmission',
          handoff.ownStructure ? handoff.note : `détenue par ${handoff.from.structureName} ; vous pouvez la demander à cette structure`,
        ],
        ['Motif du refus du relais', handoff.declineReason],
      ]);
    },

    exceptionalAccess(access: SubjectAccessExport['exceptionalAccesses'][number]) {
      record(`Le ${formatDateTime(access.at)}, par ${access.userName} (${access.structureName})`, [
        ['Motif légal', OVERRIDE_LEGAL_BASIS_LABELS[access.legalBasis]],
        ['Fin de l’accès', formatDateTime(access.until)],
        [
          'Vérification',
          access.reviewedAt ? `vérifié par l’administrateur de la structure le ${formatDate(access.reviewedAt)}` : 'pas encore vérifié par l’administrateur de la structure',
        ],
      ]);
    },
  };
}
