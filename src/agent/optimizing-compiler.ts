import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's optimizing compiler (TurboFan) for the rest of the process: agent code keeps
 * running in the interpreter and the Sparkplug baseline compiler, which need no background
 * compilation and no optimized code.
 *
 * Why: the agent runs a few milliseconds of JavaScript per collection interval (1 s at the
 * shortest). V8 still tiers that code up: TurboFan compiles it on a background thread, touches
 * several MB of compiler code and keeps the optimized code, and deoptimizes it again whenever an
 * input changes shape (a new mount, a process list of another length). At this call rate the
 * compilation costs more CPU than the optimized code saves, and ~6 MB of RSS (docs/agent.md,
 * *Resource use*). The flag is read whenever V8 considers optimizing a function, so setting it at
 * run time applies to every way the agent is started. `vigil agent` calls this before it loads the
 * agent's modules: loading ~80 modules makes the module loader hot enough to be optimized, which
 * alone touches ~3.5 MB of compiler code that then stays resident.
 */
export function turnOffOptimizingCompiler(): void {
  setFlagsFromString('--no-turbofan');
}

/** Undoes {@link turnOffOptimizingCompiler} (the `optimizing-compiler` option, for plugins or exec collectors that parse a lot). */
export function turnOnOptimizingCompiler(): void {
  setFlagsFromString('--turbofan');
}
