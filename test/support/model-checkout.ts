/**
 * A throwaway checkout for tests that choose the speaker model: its models/ holds the tiny test speaker card (made to
 * name its cohort, so the card names a file the layer must ship too), that card's ONNX file and cohort, and the
 * shipped countermeasure; node_modules/ links to the repository's (onnxruntime-node is read from there). The shipped
 * default speaker card is left out, so nothing can fall back to it unseen.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CM_CARD_FILE } from '../../lambdas/antispoof/default-model.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE_MODELS = join(REPO_ROOT, 'test', 'fixtures', 'models');

/** The checkout's chosen card, relative to its root as the stack's `speakerModelCard` takes it. */
export const CHOSEN_CARD_FILE = 'models/tiny-spk.json';
/** The id that card declares. */
export const CHOSEN_CARD_ID = 'tiny-spk-test';

export interface ModelCheckout {
  readonly root: string;
  /** Absolute path of a file of the checkout, from its repository-relative name. */
  path(file: string): string;
  remove(): void;
}

export function makeModelCheckout(): ModelCheckout {
  const root = mkdtempSync(join(tmpdir(), 'timbre-model-checkout-'));
  const models = join(root, 'models');
  mkdirSync(models);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const card = JSON.parse(readFileSync(join(FIXTURE_MODELS, 'tiny-spk.json'), 'utf8')) as { id: string; scoring: Record<string, unknown> };
  if (card.id !== CHOSEN_CARD_ID) throw new Error(`the fixture card is ${card.id} now; update CHOSEN_CARD_ID`);
  card.scoring.cohort = 'tiny-spk.cohort.json';
  writeFileSync(join(root, CHOSEN_CARD_FILE), JSON.stringify(card));
  for (const file of ['tiny-spk.onnx', 'tiny-spk.cohort.json']) copyFileSync(join(FIXTURE_MODELS, file), join(models, file));
  const cmCard = JSON.parse(readFileSync(join(REPO_ROOT, DEFAULT_CM_CARD_FILE), 'utf8')) as { onnx: string };
  for (const file of [DEFAULT_CM_CARD_FILE, `models/${cmCard.onnx}`]) copyFileSync(join(REPO_ROOT, file), join(root, file));
  return {
    root,
    path: (file) => join(root, file),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
