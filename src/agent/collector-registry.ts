import type { CollectorContext, CollectorFactory } from './collector.js';

/** Collectors chosen for a run: the factories to start and the ones that cannot run, with reasons. */
export interface CollectorSelection {
  enabled: CollectorFactory[];
  /** `"name: reason"` entries, for `AgentHello.unavailable`. */
  unavailable: string[];
}

/** Thrown for configuration mistakes (unknown or duplicate collector names); exit code 2. */
export class CollectorConfigError extends Error {
  override name = 'CollectorConfigError';
}

/**
 * Collectors by name. Built-ins, JS plugins and exec collectors all register here, and the
 * agent only ever talks to the registry: it never switches on a collector name.
 */
export class CollectorRegistry {
  private readonly factories = new Map<string, CollectorFactory>();

  /** Adds a factory; a second factory with the same name is a configuration error. */
  register(factory: CollectorFactory): void {
    if (!/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/.test(factory.name)) {
      throw new CollectorConfigError(`collector name "${factory.name}" must be 1-64 letters, digits, "-" or "_", starting with a letter`);
    }
    if (this.factories.has(factory.name)) throw new CollectorConfigError(`two collectors are named "${factory.name}"`);
    this.factories.set(factory.name, factory);
  }

  /** Registered names in registration order. */
  names(): string[] {
    return [...this.factories.keys()];
  }

  /** The factory registered under `name`, if any. */
  get(name: string): CollectorFactory | undefined {
    return this.factories.get(name);
  }

  /**
   * Picks the collectors to run: `only` (when non-empty) restricts to those names, `disable`
   * removes names; both must name registered collectors. Collectors that cannot run here are
   * listed in `unavailable` (only when they were wanted).
   */
  select(only: readonly string[], disable: readonly string[], ctx: CollectorContext): CollectorSelection {
    const unknown = [...only, ...disable].filter((n) => !this.factories.has(n));
    if (unknown.length > 0) {
      throw new CollectorConfigError(`unknown collector ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${this.names().join(', ')}`);
    }
    const enabled: CollectorFactory[] = [];
    const unavailable: string[] = [];
    for (const f of this.factories.values()) {
      if (only.length > 0 && !only.includes(f.name)) continue;
      if (disable.includes(f.name)) continue;
      const reason = f.unavailableReason(ctx);
      if (reason === null) enabled.push(f);
      else unavailable.push(`${f.name}: ${reason}`);
    }
    return { enabled, unavailable };
  }
}
