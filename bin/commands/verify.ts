/**
 * `timbre verify`: authenticates a caller's recording against a speaker and screens it against a watchlist's
 * fraudsters in one session: StartSession (authentication and fraud detection on), PutSessionAudio per file,
 * EvaluateSession, EndSession. The stream is ended by EndSession after the evaluation, not by EndOfStream with the
 * audio: a session that has ended has destroyed its running voiceprint, so it could only answer cached results.
 */
import { randomUUID } from 'node:crypto';
import type { EvaluateSessionOutput } from '../../lambdas/client/index.js';
import { UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { SESSION_AUDIO_OPTIONS, SESSION_AUDIO_USAGE, endSessionQuietly, planSessionAudio, progressLine, sendSessionAudio } from './session-audio.js';
import { SERVICE_OPTIONS, SERVICE_USAGE, connect, resolveServiceSettings } from './service-connection.js';

const USAGE = `
usage: timbre verify --domain ID --speaker CUSTOMER_ID FILE... [--watchlist ID] [--threshold 90] [--risk-threshold 50] [--json]

Scores the caller's recording (WAV, FLAC, Ogg Vorbis; at most 4 MB a file) against the speaker's voiceprint and
against the fraudsters of a watchlist. The decisions (ACCEPT, REJECT, NOT_ENOUGH_SPEECH, HIGH_RISK, …) exit 0.
  --domain ID             the domain (22 characters)
  --speaker ID            the customer's speaker ID (or a generated one) the caller claims to be
  --watchlist ID          the watchlist to screen against (default: the domain's default watchlist)
  --threshold N           ACCEPT at or above this score, 0–100 (default 90)
  --risk-threshold N      HIGH_RISK at or above this risk, 0–100 (default 50)
${SESSION_AUDIO_USAGE}
${SERVICE_USAGE}

--json prints {"AuthenticationResult", "FraudDetectionResult"} exactly as EvaluateSession answered.
`;

function describeResult({ AuthenticationResult: auth, FraudDetectionResult: fraud }: EvaluateSessionOutput): string {
  const score = auth?.Score === undefined ? '' : ` (score ${auth.Score}, threshold ${auth.Configuration?.AcceptanceThreshold ?? '?'})`;
  const risk = fraud?.RiskDetails?.KnownFraudsterRisk;
  const riskText = risk?.RiskScore === undefined
    ? ''
    : ` (risk ${risk.RiskScore}, threshold ${fraud?.Configuration?.RiskThreshold ?? '?'}${risk.GeneratedFraudsterId === undefined ? '' : `, closest fraudster ${risk.GeneratedFraudsterId}`})`;
  return [
    `authentication    ${auth?.Decision ?? 'none'}${score}`,
    `fraud detection   ${fraud?.Decision ?? 'none'}${riskText}${fraud?.Configuration?.WatchlistId === undefined ? '' : `, watchlist ${fraud.Configuration.WatchlistId}`}`,
    '',
  ].join('\n');
}

/** `timbre verify`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('verify', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      domain: { type: 'string' }, speaker: { type: 'string' }, watchlist: { type: 'string' },
      threshold: { type: 'string' }, 'risk-threshold': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      ...SESSION_AUDIO_OPTIONS, ...SERVICE_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (values.domain === undefined) throw new UsageError('--domain ID is required');
    if (values.speaker === undefined) throw new UsageError('--speaker CUSTOMER_ID is required');
    if (positionals.length === 0) throw new UsageError('give at least one audio FILE');
    const acceptanceThreshold = intOption('threshold', values.threshold, 0, 100) ?? 90;
    const riskThreshold = intOption('risk-threshold', values['risk-threshold'], 0, 100);
    const plan = planSessionAudio(positionals, values);
    const settings = resolveServiceSettings(values);
    const { sessions } = connect(settings);

    const started = await sessions.startSession({
      DomainId: values.domain,
      SessionName: randomUUID(),
      SpeakerId: values.speaker,
      AuthenticationConfiguration: { AcceptanceThreshold: acceptanceThreshold },
      // Always on, so the user sees both decisions; left-out members take the domain's defaults.
      FraudDetectionConfiguration: {
        ...(riskThreshold === undefined ? {} : { RiskThreshold: riskThreshold }),
        ...(values.watchlist === undefined ? {} : { WatchlistId: values.watchlist }),
      },
    });
    const ref = { DomainId: values.domain, SessionNameOrId: started.Session.SessionId };
    let result: EvaluateSessionOutput;
    try {
      await sendSessionAudio(sessions, ref, plan, {
        endOfStream: false,
        onFile: (session, index) => process.stderr.write(progressLine(session, index, plan.files.length)),
      });
      result = await sessions.evaluateSession(ref);
    } finally {
      await endSessionQuietly(sessions, ref);
    }
    const { AuthenticationResult, FraudDetectionResult } = result;
    process.stdout.write(values.json ? `${JSON.stringify({ AuthenticationResult, FraudDetectionResult })}\n` : describeResult(result));
    return 0;
  });
}
