import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.js';
import { useServices } from '../../hooks/app-services.js';

/** Agent names are also the `host` label: the server's rule, checked here for a quick hint. */
const AGENT_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

/**
 * Adds a new agent (`POST /api/v1/agents`) and shows its ingest key once, with the command to
 * run on that host. Needs `write:agents`.
 */
export function EnrollAgentForm({ onCreated }: { onCreated: () => void }) {
  const { api } = useServices();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const valid = AGENT_NAME_RE.test(name);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await api.post<{ agent: { name: string }; key: string }>('/api/v1/agents', { name });
      setCreated({ name: res.agent.name, key: res.key });
      setName('');
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="panel admin-form" onSubmit={(e) => void submit(e)} aria-label="Add agent" data-form="enroll-agent">
      <h2 class="panel-title">Add an agent</h2>
      <p class="panel-note">Creates the agent (its name becomes the host label) and an ingest key bound to it.</p>
      <label class="field">
        <span class="field-label">Agent name</span>
        <input class="input" name="agent-name" value={name} maxLength={100} placeholder="web-01" onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      {name && !valid ? <p class="field-error">Use letters, digits, ".", "_" or "-", starting with a letter or digit.</p> : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {created ? (
        <div class="secret-once" role="status" data-secret>
          <p>Key for "{created.name}" — copy it now, it is shown only once. On that host run:</p>
          <code class="secret-value">VIGIL_KEY={created.key} npx vigil agent --server {location.origin}</code>
        </div>
      ) : null}
      <div class="toolbar">
        <button type="submit" class="button button-primary" disabled={!valid}>
          Add agent
        </button>
      </div>
    </form>
  );
}
