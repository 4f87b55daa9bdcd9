import { NOTIFICATION_KINDS } from '@passerelle/contracts';
import { redactAddresses } from '../mail/mail.service';
import { NOTIFICATION_EMAIL_SUBJECTS, notificationEmail, notificationsUrl } from './notification-email';

describe('notificationEmail', () => {
  it('names the kind in French, with the link to the notifications page, for one notification', () => {
    const email = notificationEmail(['referral_received'], 'https://passerelle.example.fr/');
    expect(email.subject).toBe('Passerelle — une nouvelle orientation vous attend');
    expect(email.text).toContain('- une nouvelle orientation');
    expect(email.text).toContain('https://passerelle.example.fr/notifications');
    expect(email.text).toContain('Bonjour,');
  });

  it('gathers several notifications into one message, counted by kind', () => {
    const email = notificationEmail(['referral_reminder', 'referral_reminder', 'handoff_proposed'], 'http://localhost:3000');
    expect(email.subject).toBe('Passerelle — 3 notifications vous attendent');
    expect(email.text).toContain('- 2 orientations attendent toujours une réponse');
    expect(email.text).toContain('- un passage de relais vous est proposé');
  });

  it('has a subject for every kind, and refuses an empty list', () => {
    for (const kind of NOTIFICATION_KINDS) {
      expect(NOTIFICATION_EMAIL_SUBJECTS[kind]).toMatch(/^Passerelle — /);
      expect(notificationEmail([kind], 'http://x').text).toContain('http://x/notifications');
    }
    expect(() => notificationEmail([], 'http://x')).toThrow();
  });

  it('links to /notifications under the public URL, with or without a trailing slash', () => {
    expect(notificationsUrl('https://a.fr')).toBe('https://a.fr/notifications');
    expect(notificationsUrl('https://a.fr/')).toBe('https://a.fr/notifications');
  });
});

describe('redactAddresses', () => {
  it('masks the addresses SMTP errors quote', () => {
    expect(redactAddresses('Can\'t send mail - all recipients were rejected: 550 5.1.1 <jean.dupont@example.fr>: Recipient address rejected')).toBe(
      "Can't send mail - all recipients were rejected: 550 5.1.1 <[adresse masquée]>: Recipient address rejected",
    );
    expect(redactAddresses('a@b.fr, c.d+e@f.org')).toBe('[adresse masquée], [adresse masquée]');
    expect(redactAddresses('Connection timeout')).toBe('Connection timeout');
  });
});
