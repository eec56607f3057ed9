import type { ChildProcess } from 'node:child_process';

const running = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

/**
 * Remembers a child so that it is killed even when the parent exits without calling stop()
 * (an uncaught error, process.exit in a test runner): a java process must never outlive us.
 * `exitSignal` is what it gets then: SIGTERM for a parent guard, which passes it on.
 */
export function trackChild(child: ChildProcess, exitSignal: NodeJS.Signals = 'SIGKILL'): void {
  running.set(child, exitSignal);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const [c, signal] of running) c.kill(signal);
    });
  }
}

/** Sends SIGTERM, waits up to `graceMs` for the exit, then SIGKILL. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last `limit` characters a child wrote, for error messages. */
export function captureOutput(child: ChildProcess, limit = 4_000): () => string {
  let text = '';
  const append = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}
