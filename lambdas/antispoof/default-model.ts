/**
 * Where the countermeasure Timbre ships lives, relative to the repository (and the Lambda layer) root: the one place
 * the default is named. Operators override it (CLI `--cm-model` / eval-spoof `--model`, env TIMBRE_CM_MODEL_CARD).
 */
export const DEFAULT_CM_CARD_FILE = 'models/timbre-cm.json';
