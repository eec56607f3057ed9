#!/usr/bin/env -S npx tsx
/**
 * The `timbre` command-line tool. Each subcommand lives in bin/commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit code); it is loaded only when asked for.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  serve: { summary: 'run Timbre locally on its embedded AWS services', load: () => import('./commands/serve.js') },
  embed: { summary: 'print the speaker embedding of an audio file', load: () => import('./commands/embed.js') },
  compare: { summary: 'score a probe recording against enrolment recordings', load: () => import('./commands/compare.js') },
  eval: { summary: 'EER, minDCF and FAR/FRR of a model on a trial list', load: () => import('./commands/eval.js') },
  calibrate: { summary: "fit a model card's score calibration on a trial list", load: () => import('./commands/calibrate.js') },
  bench: { summary: 'CPU cost per stage of the voice pipeline', load: () => import('./commands/bench.js') },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
    const list = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`).join('\n');
    process.stderr.write(`${name === undefined || name === '--help' ? '' : `unknown command: ${name}\n`}usage: timbre <command> [options]\n\n${list}\n`);
    return name === undefined || name === '--help' ? 0 : 2;
  }
  return (await command.load()).run(rest);
}

process.exitCode = await main(process.argv.slice(2));
