import type { Command } from '../options/command.js';
import { Agent, AgentBootError } from './agent.js';
import { AGENT_OPTION_SPECS, agentConfig } from './agent-options.js';
import { scopedLogger } from './scoped-logger.js';
import { turnOnOptimizingCompiler } from './optimizing-compiler.js';
import { keepYoungGenerationSmall } from './young-generation.js';

/**
 * `vigil agent`: collects host metrics and pushes them to a Vigil server, buffering on disk while
 * the server is unreachable. Exit codes: 0 after a graceful stop (SIGINT/SIGTERM), 2 for a
 * configuration problem found at start.
 */
export const agentCommand: Command = {
  name: 'agent',
  summary: 'Collect host metrics (and plugin/exec metrics) and push them to a Vigil server, buffering on disk while it is unreachable.',
  usage: 'vigil agent --server <url> [options]   (the key comes from VIGIL_KEY or --key)',
  specs: AGENT_OPTION_SPECS,
  async run(values, positionals, ctx) {
    if (positionals.length > 0) {
      ctx.log.error('vigil agent takes no positional arguments', { arguments: positionals });
      return 2;
    }
    const config = agentConfig(values);
    keepYoungGenerationSmall();
    // `vigil agent` turned the compiler off before loading this module; the option turns it back on.
    if (config.optimizingCompiler) turnOnOptimizingCompiler();
    const log = scopedLogger(ctx.log, {}, [config.key]);
    let agent: Agent;
    try {
      agent = await Agent.start(config, { log });
    } catch (err) {
      if (err instanceof AgentBootError) {
        log.error(err.message, { exitCode: 2 });
        return 2;
      }
      throw err;
    }
    await agent.run(ctx.signal);
    return 0;
  },
};
