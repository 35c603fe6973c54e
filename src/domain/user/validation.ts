/**
 * Field rules of the user aggregate. Each returns the normalised value, or null when the
 * input breaks the rule. Pure functions over plain values.
 */

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * Anything but spaces and the characters RFC 5322 keeps for its own syntax (unquoted), with
 * no dot at either end and no two dots together.
 */
const LOCAL_PART = /^(?!\.)(?!.*\.\.)[^\s@<>()[\]\\,;:"]{1,64}(?<!\.)$/;
/** Splits text into the characters a reader sees (an emoji with its modifiers is one). */
const CHARACTERS = new Intl.Segmenter();
/** Something a reader can see: a letter, digit, mark of punctuation or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;

export function validId(value: string): string | null {
  return ID_PATTERN.test(value) ? value : null;
}

/**
 * An email is trimmed and its domain lower-cased; the local part keeps its case, because
 * some mail systems treat it as significant. Uniqueness uses `emailKey` instead.
 */
export function normaliseEmail(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_EMAIL_LENGTH) return null;
  const parts = trimmed.split('@');
  if (parts.length !== 2) return null;
  const [local = '', rawDomain = ''] = parts;
  const domain = rawDomain.toLowerCase();
  if (!LOCAL_PART.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  return `${local}@${domain}`;
}

/** An address as uniqueness compares it: the domain is case-blind, and so are most mailboxes. */
export const normalizedEmail = (email: string): string => email.toLowerCase();

/** Emails are unique case-insensitively: this key is what a claim is held under. */
export const emailKey = (email: string): string => `email:${normalizedEmail(email)}`;

export const emailDomain = (email: string): string => email.slice(email.indexOf('@') + 1);

/** "Example.COM", "@example.com" and " example.com " all mean the domain example.com. */
export const normaliseDomain = (domain: string): string =>
  domain.trim().replace(/^@/, '').toLowerCase();

/**
 * A name is stored trimmed and must be 1-200 characters after trimming (characters as a
 * reader counts them, so an emoji is one), one of them visible: a name of only zero-width
 * spaces would look blank.
 */
export function normaliseName(value: string): string | null {
  const trimmed = value.trim();
  // Characters are never more than UTF-16 units: only a long name needs them counted.
  const length =
    trimmed.length <= MAX_NAME_LENGTH
      ? trimmed.length
      : Array.from(CHARACTERS.segment(trimmed)).length;
  return length >= 1 && length <= MAX_NAME_LENGTH && VISIBLE.test(trimmed) ? trimmed : null;
}

/** The largest order: its cents, and a total of many such orders, stay exact numbers. */
export const MAX_AMOUNT = 1_000_000_000;

/**
 * An amount above 0 and at most MAX_AMOUNT, with at most two decimals (checked on its
 * shortest decimal form).
 */
export function validAmount(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_AMOUNT) return null;
  return Number(value.toFixed(2)) === value ? value : null;
}
