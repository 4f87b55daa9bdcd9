import type { MailMessage } from '../mail/mail.service';

/** The French plain-text e-mail carrying an agent's activation link. */
export function activationMail(input: { to: string; firstName: string; structureName: string | null; url: string; expiresAt: Date }): MailMessage {
  const until = input.expiresAt.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });
  const where = input.structureName ? ` pour la structure « ${input.structureName} »` : '';
  return {
    to: input.to,
    subject: 'Activez votre compte Passerelle',
    text: [
      `Bonjour ${input.firstName},`,
      '',
      `Un compte Passerelle, l’outil du premier accueil social, a été ouvert à votre nom${where}.`,
      '',
      `Pour choisir votre mot de passe et activer votre compte, ouvrez ce lien avant le ${until} :`,
      input.url,
      '',
      'Ce lien ne sert qu’une seule fois. Si vous n’attendiez pas ce message, ignorez-le ; si le lien a expiré, demandez-en un nouveau à l’administrateur de votre structure.',
      '',
      '— Passerelle',
    ].join('\n'),
  };
}
