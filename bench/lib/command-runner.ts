import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Runs commands (kcat, psql) from a helper process started once, and times them there. A bench
 * that spawns a command forks itself, and with it the code it measures: every page of the
 * process is shared copy-on-write until written again, so the measured work that follows pays a
 * page fault per page it writes. In `bench:outbox`, a replay right after kcat -P was spawned from
 * the same process took ~6,500 minor faults and ~210 ms of CPU, against ~600 faults and ~80 ms
 * with kcat run from a helper: a cost of the measurement, not of the server, which never forks.
 */

export interface CommandResult {
  /** From spawning the command to its exit, timed in the helper. */
  ms: number;
  /** What it wrote to its standard output; empty when that went to a file. */
  stdout: string;
}

/** The longest a command may run: the bench's commands take seconds. */
const COMMAND_TIMEOUT_MS = 120_000;
/** The most output a command may give through the pipe (psql's and kcat's messages). */
const COMMAND_MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;

// The helper: one JSON request per line in ({command, args}), one JSON answer per line out.
const HELPER = `
const { spawnSync } = require("node:child_process");
const { closeSync, openSync } = require("node:fs");
const lines = require("node:readline").createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { command, args, stdoutFile } = JSON.parse(line);
  const out = stdoutFile ? openSync(stdoutFile, "w") : "pipe";
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", out, "pipe"], maxBuffer: ${COMMAND_MAX_OUTPUT_BYTES}, timeout: ${COMMAND_TIMEOUT_MS} });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (stdoutFile) closeSync(out);
  const error = result.error ? String(result.error) : result.status !== 0 ? command + " exited with " + result.status + ": " + result.stderr : null;
  process.stdout.write(JSON.stringify({ ms, stdout: result.stdout ?? "", error }) + "\\n");
});
`;

export class CommandRunner {
  readonly #child: ChildProcess;
  readonly #answers: AsyncIterator<string>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.#child = spawn(process.execPath, ["-e", HELPER], { stdio: ["pipe", "pipe", "inherit"] });
    this.#answers = createInterface({ input: this.#child.stdout! })[Symbol.asyncIterator]();
  }

  /**
   * Runs the command in the helper (one at a time); rejects when it fails or exits non-zero. Its
   * output goes to `stdoutFile` when given: large output then never passes through this process.
   */
  run(command: string, args: string[], stdoutFile?: string): Promise<CommandResult> {
    const result = this.#queue.then(async () => {
      this.#child.stdin!.write(`${JSON.stringify({ command, args, stdoutFile })}\n`);
      const answer = await this.#answers.next();
      if (answer.done) throw new Error(`the command helper ended before answering (${command})`);
      const { ms, stdout, error } = JSON.parse(answer.value) as CommandResult & { error: string | null };
      if (error) throw new Error(error);
      return { ms, stdout };
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  stop(): void {
    this.#child.stdin!.end();
    this.#child.kill();
  }
}
