/**
 * Where the model Timbre ships lives, relative to the repository (and the Lambda layer) root: the one place the
 * default is named. Operators override it (CLI `--model`, env TIMBRE_MODEL_CARD) at the edge.
 */
export const DEFAULT_MODEL_CARD_FILE = 'models/timbre-default.json';
