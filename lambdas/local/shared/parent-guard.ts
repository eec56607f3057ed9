/**
 * Child-process entry that runs one command (TIMBRE_GUARDED_COMMAND, JSON) and ties its life to the
 * parent's. Node cannot ask the kernel to kill a child when its parent dies (no prctl), but the IPC
 * channel to this guard closes whenever the parent goes, kill -9 included, and then the guard kills
 * the command. The command's pid goes to the parent over IPC.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** What the guard runs: the arguments of child_process.spawn. */
export interface GuardedCommand {
  command: string;
  args: string[];
  cwd: string;
}

/** Messages the guard sends its parent. */
export type GuardMessage = { type: 'started'; pid: number } | { type: 'error'; message: string };

const { command, args, cwd } = JSON.parse(process.env.TIMBRE_GUARDED_COMMAND ?? '{}') as GuardedCommand;
delete process.env.TIMBRE_GUARDED_COMMAND;
const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
const send = (message: GuardMessage): void => {
  process.send?.(message);
};
child.once('spawn', () => send({ type: 'started', pid: child.pid! }));
child.once('error', (error) => {
  send({ type: 'error', message: error.message });
  process.exit(127);
});
child.once('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128 + constants.signals[signal])));
process.once('disconnect', () => {
  child.kill('SIGKILL');
  process.exit(0);
});
// stop() sends SIGTERM: pass it on and exit with the command. Ctrl-C reaches the command itself.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
