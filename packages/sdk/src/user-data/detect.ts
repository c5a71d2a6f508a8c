import { CloudError } from '../errors.js';

/**
 * What kind of user data a user gave, read from its first line the way cloud-init reads it.
 * Only the two kinds the composer can merge are accepted; every other kind cloud-init knows is
 * named in the refusal, so the user learns what to change.
 */

export type UserDataKind = 'shell-script' | 'cloud-config';

/** First-line markers cloud-init understands that the composer cannot merge, and why. */
const UNMERGEABLE: readonly (readonly [RegExp, string])[] = [
  [/^content-type:\s*multipart\//i, 'it is already a MIME multi-part document'],
  [/^#include(-once)?\b/, 'an #include list fetches its parts at boot, out of our reach'],
  [/^#cloud-config-archive\b/, 'a #cloud-config-archive is a list of parts of its own'],
  [/^#cloud-config-jsonp\b/, 'a #cloud-config-jsonp patch cannot be combined safely'],
  [/^#cloud-boothook\b/, 'a #cloud-boothook runs on every boot, before our parts'],
  [/^#part-handler\b/, 'a #part-handler changes how the other parts are read'],
  [/^#upstart-job\b/, 'upstart jobs are not run by current images'],
  [/^## template: jinja\b/, 'a jinja template is rendered before cloud-init reads it'],
];

export function invalidUserData(why: string): CloudError {
  return new CloudError('INVALID_ARGUMENT', { message: `userData: ${why}` });
}

/** The kind of `userData`, or an INVALID_ARGUMENT CloudError that says why it cannot be merged. */
export function detectUserDataKind(userData: string): UserDataKind {
  if (userData.startsWith('\u001f\u008b') || userData.includes('\u0000')) {
    throw invalidUserData(
      'binary (gzip-compressed or with NUL bytes) user data cannot be merged; give it as text',
    );
  }
  const firstLine = userData.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (firstLine.startsWith('#!')) return 'shell-script';
  if (/^#cloud-config\s*$/.test(firstLine)) return 'cloud-config';
  for (const [marker, why] of UNMERGEABLE) {
    if (marker.test(firstLine)) {
      throw invalidUserData(
        `cannot be merged with cloudplane's own boot parts: ${why}. Give a shell script (first line "#!...") or a "#cloud-config" document`,
      );
    }
  }
  throw invalidUserData(
    'is neither a shell script (first line "#!...") nor a "#cloud-config" document, so how the image would run it is unknown; start it with one of those',
  );
}
