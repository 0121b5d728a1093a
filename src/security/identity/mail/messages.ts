import type { MailMessage } from './mailer.js';

/** Plain-text emails. Values shown come from our own records (names, dates) or are sanitised labels. */

export function newDeviceMessage(
  to: string,
  name: string,
  facts: { at: string; ip: string | null; device: string | null; reason: 'device' | 'network' | 'both' },
  publicUrl: string,
): MailMessage {
  const what =
    facts.reason === 'network' ? 'from a network you have not used before' : 'from a device you have not used before';
  return {
    to,
    subject: 'New sign-in to your Separ account',
    text: [
      `Hello ${name},`,
      '',
      `Your Separ account was signed in to ${what}.`,
      '',
      `  When:   ${facts.at} (UTC)`,
      `  Where:  ${facts.ip ?? 'unknown address'}`,
      `  Device: ${facts.device ?? 'unknown'}`,
      '',
      'If this was you, there is nothing to do.',
      `If it was not, sign in at ${publicUrl}, end the sessions you do not recognise (Account > Sessions),`,
      'change your password and tell your administrator.',
    ].join('\n'),
  };
}

export function invitationMessage(to: string, name: string, link: string, expiresAt: string): MailMessage {
  return {
    to,
    subject: 'You are invited to Separ',
    text: [
      `Hello ${name},`,
      '',
      'An administrator created a Separ account for you. Choose your password with this link:',
      '',
      `  ${link}`,
      '',
      `The link works once and until ${expiresAt} (UTC). You will then set up two-step sign-in.`,
      'If you did not expect this, ignore this email.',
    ].join('\n'),
  };
}

export function passwordResetMessage(to: string, name: string, link: string, expiresAt: string): MailMessage {
  return {
    to,
    subject: 'Reset your Separ password',
    text: [
      `Hello ${name},`,
      '',
      'Someone asked to reset the password of your Separ account. To choose a new one, use this link:',
      '',
      `  ${link}`,
      '',
      `The link works once and until ${expiresAt} (UTC). Signing in afterwards still needs your second factor.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}
