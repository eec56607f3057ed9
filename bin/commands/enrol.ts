/**
 * `timbre enrol`: enrols a speaker of a domain from recordings, through a session, as an agent's tool would:
 * StartSession, PutSessionAudio per file, EnrollBySession, EndSession, then DescribeSpeaker.
 */
import { randomUUID } from 'node:crypto';
import { DescribeSpeakerCommand, ResourceNotFoundException, type Speaker } from '@aws-sdk/client-voice-id';
import { TimbreServiceError, type EnrollmentStatus, type Session } from '../../lambdas/client/index.js';
import { CommandError, UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { SESSION_AUDIO_OPTIONS, SESSION_AUDIO_USAGE, endSessionQuietly, planSessionAudio, progressLine, sendSessionAudio } from './session-audio.js';
import { SERVICE_OPTIONS, SERVICE_USAGE, connect, resolveServiceSettings } from './service-connection.js';

const USAGE = `
usage: timbre enrol --domain ID --speaker CUSTOMER_ID FILE... [--overwrite] [--json]

Enrols the speaker from the net speech of the FILEs (WAV, FLAC, Ogg Vorbis; at most 4 MB each), sent to one
session. Enrolment needs 30 s of net speech; with less, nothing is enrolled and the status says so (exit 0).
  --domain ID           the domain (22 characters)
  --speaker ID          the customer's speaker ID
  --overwrite           replace the voiceprint of a speaker who is enrolled already
${SESSION_AUDIO_USAGE}
${SERVICE_USAGE}

Prints the speaker's status; --json prints {"speaker", "session", "enrollment"}.
`;

/** What the command found out. */
interface EnrolOutcome {
  speaker: Speaker | null;
  session: Session;
  enrollment: { Status: EnrollmentStatus; Message?: string };
}

function describeOutcome({ speaker, session, enrollment }: EnrolOutcome): string {
  const speech = `${(session.NetSpeechSeconds ?? 0).toFixed(1)} s of net speech`;
  const who = speaker === null ? (session.CustomerSpeakerId ?? '') : `${speaker.CustomerSpeakerId} (${speaker.GeneratedSpeakerId})`;
  const status = speaker?.Status ?? 'not enrolled';
  const why = enrollment.Status === 'NOT_ENOUGH_SPEECH' ? ': not enough speech, enrolment needs 30 s' : '';
  return [
    `speaker     ${who}`,
    `status      ${status}`,
    `enrolment   ${enrollment.Status}${why}${enrollment.Message === undefined ? '' : ` (${enrollment.Message})`}`,
    `session     ${session.SessionName} (${session.SessionId}), ${speech}`,
    '',
  ].join('\n');
}

/** `timbre enrol`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('enrol', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      domain: { type: 'string' }, speaker: { type: 'string' }, overwrite: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      ...SESSION_AUDIO_OPTIONS, ...SERVICE_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (values.domain === undefined) throw new UsageError('--domain ID is required');
    if (values.speaker === undefined) throw new UsageError('--speaker CUSTOMER_ID is required');
    if (positionals.length === 0) throw new UsageError('give at least one audio FILE');
    const plan = planSessionAudio(positionals, values);
    const settings = resolveServiceSettings(values);
    const { voiceId, sessions } = connect(settings);

    const started = await sessions.startSession({ DomainId: values.domain, SessionName: randomUUID(), SpeakerId: values.speaker });
    const ref = { DomainId: values.domain, SessionNameOrId: started.Session.SessionId };
    let ended: Session | undefined;
    let status: EnrollmentStatus;
    try {
      await sendSessionAudio(sessions, ref, plan, {
        endOfStream: false,
        onFile: (session, index) => process.stderr.write(progressLine(session, index, plan.files.length)),
      });
      ({ Status: status } = await sessions.enrollBySession({ ...ref, ...(values.overwrite ? { ExistingEnrollmentAction: 'OVERWRITE' as const } : {}) }).catch((error: unknown) => {
        if (error instanceof TimbreServiceError && error.ConflictType === 'ENROLLMENT_ALREADY_EXISTS') {
          throw new CommandError(`${values.speaker} is enrolled already (ConflictException ENROLLMENT_ALREADY_EXISTS); pass --overwrite to replace the voiceprint`, { cause: error });
        }
        throw error;
      }));
    } finally {
      ended = await endSessionQuietly(sessions, ref);
    }
    // An enrolment still waiting for speech when the session ends has its final status on the session.
    const session = ended ?? (await sessions.describeSession(ref)).Session;
    const enrollment = session.EnrollmentRequestDetails ?? { Status: status };
    const speaker = await voiceId.send(new DescribeSpeakerCommand({ DomainId: values.domain, SpeakerId: values.speaker })).then(
      (answer) => answer.Speaker ?? null,
      (error: unknown) => {
        if (error instanceof ResourceNotFoundException) return null;
        throw error;
      },
    );
    const outcome: EnrolOutcome = { speaker, session, enrollment };
    process.stdout.write(values.json ? `${JSON.stringify(outcome)}\n` : describeOutcome(outcome));
    return 0;
  });
}
