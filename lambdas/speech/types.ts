/** One stretch of detected speech, in seconds from the start of the audio. */
export interface SpeechSegment {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** What voice-activity detection found in a piece of audio. */
export interface SpeechDetection {
  readonly segments: readonly SpeechSegment[];
  /** Sum of segment lengths: the "net speech" that Voice ID's 30 s enrolment and 5–10 s authentication rules count. */
  readonly netSpeechSeconds: number;
  readonly totalSeconds: number;
}
