import type { NotificationKind } from '@passerelle/contracts';

/**
 * What the e-mail says of each kind: that something is waiting, nothing more. No person, no message,
 * no structure, no status: an e-mail leaves the platform (mailboxes, forwards, phones), so everything
 * else is read after logging in.
 */
export const NOTIFICATION_EMAIL_SUBJECTS: Record<NotificationKind, string> = {
  referral_received: 'Passerelle — une nouvelle orientation vous attend',
  referral_status: 'Passerelle — une orientation que vous avez envoyée a avancé',
  referral_reminder: 'Passerelle — une orientation attend votre réponse',
  referral_expired: 'Passerelle — une orientation est restée sans réponse',
  handoff_proposed: 'Passerelle — un passage de relais vous est proposé',
  handoff_answered: 'Passerelle — du nouveau sur un passage de relais',
  services_stale: 'Passerelle — des offres de service sont à vérifier',
};

const SENTENCES: Record<NotificationKind, [one: string, several: (n: number) => string]> = {
  referral_received: ['une nouvelle orientation', (n) => `${n} nouvelles orientations`],
  referral_status: ['une orientation que vous avez envoyée a changé de statut', (n) => `${n} orientations que vous avez envoyées ont changé de statut`],
  referral_reminder: ['une orientation attend toujours une réponse', (n) => `${n} orientations attendent toujours une réponse`],
  referral_expired: ['une orientation est restée sans réponse', (n) => `${n} orientations sont restées sans réponse`],
  handoff_proposed: ['un passage de relais vous est proposé', (n) => `${n} passages de relais vous sont proposés`],
  handoff_answered: ['du nouveau sur un passage de relais', (n) => `du nouveau sur ${n} passages de relais`],
  services_stale: ['des offres de service de votre structure sont à vérifier', () => 'des offres de service de votre structure sont à vérifier'],
};

export interface NotificationEmail {
  subject: string;
  text: string;
}

/** The page the e-mail links to: it asks to log in first, then lists the notifications. */
export function notificationsUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, '')}/notifications`;
}

/** One e-mail for one recipient's pending notifications (one or more, of any kinds). */
export function notificationEmail(kinds: readonly NotificationKind[], publicUrl: string): NotificationEmail {
  if (kinds.length === 0) throw new Error('notificationEmail: no notification');
  const counts = new Map<NotificationKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const lines = [...counts].map(([kind, n]) => `- ${n === 1 ? SENTENCES[kind][0] : SENTENCES[kind][1](n)}`);
  const subject = kinds.length === 1 ? NOTIFICATION_EMAIL_SUBJECTS[kinds[0]] : `Passerelle — ${kinds.length} notifications vous attendent`;
  const text = [
    'Bonjour,',
    '',
    kinds.length === 1 ? 'Du nouveau vous attend dans Passerelle :' : `${kinds.length} notifications vous attendent dans Passerelle :`,
    ...lines,
    '',
    'Connectez-vous pour en savoir plus :',
    notificationsUrl(publicUrl),
    '',
    '—',
    'Ce message est envoyé automatiquement, merci de ne pas y répondre.',
    'Il ne contient volontairement aucune information sur les personnes accompagnées : elles se consultent dans Passerelle, après connexion.',
  ].join('\n');
  return { subject, text };
}
