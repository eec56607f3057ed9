/**
 * Synthetic callers for tests that run on machines without ../shared/data: espeak-ng voices reading a contact-centre
 * script. The speaker model tells `en-us+f3` (anna) from `en-gb+m3` (bert) at threshold 90.
 */
import { execFileSync } from 'node:child_process';

/** Two passages of about 20 s each: together over 30 s of net speech, enough to enrol. */
export const ENROL_TEXT = [
  'Good morning, I am calling about my current account. Last week I moved to a new flat on the other side of the city, and I would like to update my home address, my phone number and the email address you use to send me statements. I also noticed two payments on my card that I do not recognise, and I would like to talk to someone about them before the weekend.',
  'The first one was on Tuesday evening at a petrol station I have never visited, and the second one was yesterday morning from an online shop. Could you please block the card, send me a new one to the new address, and tell me how long it will take for the money to come back to my account. If you need to confirm who I am, you can call me back on my mobile this afternoon. Thank you very much for your help today.',
];
/** About 20 s: a verification call. */
export const PROBE_TEXT = 'Hello again, I am phoning to check whether my new card has been sent out yet, and whether the two payments I reported last week have been refunded to my current account, because I still cannot see them in the mobile app this morning. I would also like to know whether the new card will have the same number as the old one, or whether I need to update my details with the shops I use every month.';
/** Under the 5 s minimum of net speech. */
export const SHORT_TEXT = 'Hello, this is a short call.';

/** The two voices. */
export const VOICES = { anna: 'en-us+f3', bert: 'en-gb+m3' } as const;

/** Whether espeak-ng is installed (.ci/run installs it). */
export function hasEspeak(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes `text` spoken by `voice` to `wavPath` (22.05 kHz WAV). */
export function speak(voice: string, text: string, wavPath: string): void {
  execFileSync('espeak-ng', ['-v', voice, '-w', wavPath, text]);
}
