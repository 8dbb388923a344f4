// Docker cannot run on the CI machine, so the image and deployment files are checked here:
// structure, probes, non-root, pinned images, and that every VIGIL_* variable they set is a
// real `vigil server` option (a renamed option would otherwise silently stop applying).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { envName } from '../../options/option-spec.js';
import { SERVER_OPTIONS } from './server-options.js';

const root = new URL('../../..', import.meta.url).pathname;
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const OPTION_ENVS = new Map(SERVER_OPTIONS.map((s) => [envName(s), s]));
const SECRET_ENVS = new Set(SERVER_OPTIONS.filter((s) => s.secret).map((s) => envName(s)));

type Obj = Record<string, unknown>;
const obj = (v: unknown, what: string): Obj => {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `${what} must be a mapping`);
  return v as Obj;
};
const arr = (v: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(v), `${what} must be a list`);
  return v;
};

/** Dockerfile instructions (continuation lines joined, comments dropped). */
function dockerInstructions(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l) as RegExpExecArray;
      return { op: (m[1] as string).toUpperCase(), args: m[2] as string };
    });
}

/** Asserts an image reference carries an explicit tag other than `latest`. */
function assertPinned(image: string, where: string): void {
  const m = /^[^\s:@]+(?::([^\s@]+))?(@sha256:[0-9a-f]{64})?$/.exec(image);
  assert.ok(m, `${where}: "${image}" is not an image reference`);
  assert.ok(m[2] || (m[1] && m[1] !== 'latest'), `${where}: image "${image}" must be pinned to a version tag`);
}

describe('Dockerfile', () => {
  const ins = dockerInstructions(read('Dockerfile'));
  const froms = ins.map((x, i) => ({ ...x, i })).filter((x) => x.op === 'FROM');
  const finalStart = (froms.at(-1) as { i: number }).i;
  const final = ins.slice(finalStart);

  it('is multi-stage, builds from the lock file with npm ci, and runs on node:20-slim', () => {
    assert.ok(froms.length >= 2, 'at least a build and a runtime stage');
    const stages = new Set(froms.map((f) => /\bAS\s+(\S+)/i.exec(f.args)?.[1]).filter(Boolean));
    for (const f of froms) {
      const image = f.args.split(/\s+/)[0] as string;
      if (!stages.has(image)) assertPinned(image, 'FROM');
    }
    assert.match((froms.at(-1) as { args: string }).args, /^node:20-slim\b/);
    const lockCopy = ins.findIndex((x) => x.op === 'COPY' && /package-lock\.json/.test(x.args));
    const ci = ins.findIndex((x) => x.op === 'RUN' && /\bnpm ci\b/.test(x.args));
    assert.ok(lockCopy >= 0 && ci > lockCopy, 'COPY package-lock.json, then RUN npm ci');
    assert.ok(!ins.some((x) => x.op === 'RUN' && /\bnpm install\b/.test(x.args)), 'npm ci, never npm install');
    assert.ok(final.some((x) => x.op === 'COPY' && /--from=/.test(x.args) && /node_modules/.test(x.args)), 'runtime copies built dependencies from a stage');
    assert.ok(!final.some((x) => x.op === 'RUN' && /\bnpm ci\b(?!.*--omit=dev)/.test(x.args)), 'no dev dependencies installed in the runtime stage');
  });

  it('runs as a non-root user with a /ready healthcheck and the server entrypoint', () => {
    const users = final.filter((x) => x.op === 'USER').map((x) => x.args.split(':')[0]);
    assert.ok(users.length > 0, 'runtime stage sets USER');
    assert.ok(!['root', '0'].includes(users.at(-1) as string), 'the last USER is not root');
    const hc = final.find((x) => x.op === 'HEALTHCHECK');
    assert.ok(hc && /\/ready/.test(hc.args), 'HEALTHCHECK probes /ready');
    const entry = [...final.filter((x) => x.op === 'ENTRYPOINT' || x.op === 'CMD').map((x) => x.args)].join(' ');
    assert.match(entry, /bin\/vigil\.mjs/);
    assert.match(entry, /"server"/);
    assert.ok(final.some((x) => x.op === 'VOLUME' && /\/data/.test(x.args)), 'data volume');
    assert.ok(final.some((x) => x.op === 'EXPOSE' && /\b8640\b/.test(x.args)));
  });

  it('sets only real options and no secrets', () => {
    for (const x of ins.filter((y) => y.op === 'ENV' || y.op === 'ARG')) {
      for (const [, name] of x.args.matchAll(/(\w+)=/g)) {
        if (!(name as string).startsWith('VIGIL_')) continue;
        assert.ok(OPTION_ENVS.has(name as string), `${name} is not a vigil server option`);
        assert.ok(!SECRET_ENVS.has(name as string), `${name} is a secret and must not be baked into the image`);
      }
      assert.doesNotMatch(x.args, /(PASSWORD|SECRET|TOKEN)\w*=/i, 'no credentials in ENV/ARG');
    }
    assert.ok(!ins.some((x) => x.op === 'ADD' && /https?:\/\//.test(x.args)), 'no remote ADD');
  });

  it('.dockerignore keeps local state, secrets and build output out of the context', () => {
    const lines = read('.dockerignore').split(/\r?\n/).map((l) => l.trim());
    for (const p of ['.git', 'node_modules', 'dist', 'data', '*.key', '.env']) assert.ok(lines.includes(p), `.dockerignore lists ${p}`);
  });
});

describe('deploy/compose.yaml', () => {
  const compose = obj(parse(read('deploy/compose.yaml'), { merge: true }), 'compose');
  const services = obj(compose.services, 'services');
  const replicas = Object.entries(services).filter(([, s]) => obj(s, 'service').build !== undefined || /^vigil:/.test(String(obj(s, 'service').image)));

  it('has PostgreSQL, Redis, a load balancer and at least two Vigil replicas with pinned images', () => {
    assert.ok(replicas.length >= 2, 'two replicas');
    for (const name of ['postgres', 'redis', 'lb']) assert.ok(services[name], `service ${name}`);
    for (const [name, s] of Object.entries(services)) assertPinned(String(obj(s, name).image), `service ${name}`);
  });

  it('replicas set only real options, secrets only from the environment, and wait for healthy dependencies', () => {
    for (const [name, s] of replicas) {
      const svc = obj(s, name);
      assert.equal(svc.read_only, true, `${name}: read-only root filesystem`);
      const env = obj(svc.environment, `${name}.environment`);
      for (const key of ['VIGIL_DATABASE_URL', 'VIGIL_REDIS_URL', 'VIGIL_SECRET_KEY']) assert.ok(key in env, `${name} sets ${key}`);
      for (const [key, value] of Object.entries(env)) {
        assert.ok(OPTION_ENVS.has(key), `${name}: ${key} is not a vigil server option`);
        if (SECRET_ENVS.has(key) && key !== 'VIGIL_REDIS_URL') assert.match(String(value), /\$\{[A-Z_]+:\?/, `${name}: ${key} must come from a required variable, not be written here`);
      }
      assert.ok(svc.depends_on, `${name} declares dependencies`);
    }
    const first = obj(obj(replicas[0]?.[1], 'replica').depends_on, 'depends_on');
    for (const dep of ['postgres', 'redis']) assert.equal(obj(first[dep], dep).condition, 'service_healthy');
    for (const name of ['postgres', 'redis']) assert.ok(obj(services[name], name).healthcheck, `${name} has a healthcheck`);
  });

  it('the load balancer config health-checks /ready on every replica and keeps WebSockets open', () => {
    const lb = obj(services.lb, 'lb');
    const mount = arr(lb.volumes, 'lb.volumes').map(String).find((v) => v.startsWith('./')) as string;
    const file = join('deploy', mount.split(':')[0] as string);
    assert.ok(existsSync(join(root, file)), `${file} exists`);
    const cfg = read(file);
    assert.match(cfg, /http-check send meth GET uri \/ready/);
    assert.match(cfg, /timeout tunnel/);
    // Agent affinity: one agent's samples reach one replica (each replica owns its time-series head).
    assert.match(cfg, /balance hdr\(authorization\)/i);
    for (const [name] of replicas) assert.equal(cfg.match(new RegExp(`server ${name} ${name}:8640 check`, 'g'))?.length, 2, `${name} in both backends`);
  });
});

describe('deploy/k8s', () => {
  const docs = readdirSync(join(root, 'deploy/k8s'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(read(join('deploy/k8s', f))).map((d) => obj(d.toJSON(), f)));
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

  it('a Deployment of two non-root replicas with a read-only root filesystem, probes and resources', () => {
    const [dep] = byKind('Deployment');
    assert.ok(dep, 'Deployment');
    const spec = obj(dep.spec, 'spec');
    assert.ok(Number(spec.replicas) >= 2);
    const pod = obj(obj(spec.template, 'template').spec, 'pod spec');
    assert.equal(obj(pod.securityContext, 'pod securityContext').runAsNonRoot, true);
    const [c] = arr(pod.containers, 'containers').map((x) => obj(x, 'container'));
    assert.ok(c);
    assertPinned(String(c.image), 'container');
    const sc = obj(c.securityContext, 'container securityContext');
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.deepEqual(obj(sc.capabilities, 'capabilities').drop, ['ALL']);
    assert.equal(obj(obj(c.livenessProbe, 'liveness').httpGet, 'liveness.httpGet').path, '/health');
    assert.equal(obj(obj(c.readinessProbe, 'readiness').httpGet, 'readiness.httpGet').path, '/ready');
    const res = obj(c.resources, 'resources');
    assert.ok(obj(res.requests, 'requests').cpu && obj(res.requests, 'requests').memory && obj(res.limits, 'limits').memory);
    const mounts = arr(c.volumeMounts, 'volumeMounts').map((m) => obj(m, 'mount').mountPath);
    assert.ok(mounts.includes('/data') && mounts.includes('/tmp'), 'writable /data and /tmp on a read-only root');
  });

  it('env comes from the ConfigMap and Secret, with real option names, secrets only in the Secret', () => {
    const [dep] = byKind('Deployment');
    const c = obj(arr(obj(obj(obj(dep?.spec, 'spec').template, 't').spec, 'pod').containers, 'containers')[0], 'container');
    const refs = arr(c.envFrom, 'envFrom').map((e) => obj(e, 'envFrom'));
    const cmName = obj(refs.find((r) => r.configMapRef)?.configMapRef, 'configMapRef').name;
    const secretName = obj(refs.find((r) => r.secretRef)?.secretRef, 'secretRef').name;
    const cm = byKind('ConfigMap').find((d) => obj(d.metadata, 'metadata').name === cmName);
    const secret = byKind('Secret').find((d) => obj(d.metadata, 'metadata').name === secretName);
    assert.ok(cm && secret, 'the referenced ConfigMap and Secret exist');
    for (const key of Object.keys(obj(cm.data, 'data'))) {
      assert.ok(OPTION_ENVS.has(key), `ConfigMap: ${key} is not a vigil server option`);
      assert.ok(!SECRET_ENVS.has(key), `ConfigMap: ${key} is a secret option; put it in the Secret`);
    }
    const secretKeys = Object.keys(obj(secret.stringData ?? secret.data, 'secret data'));
    for (const key of secretKeys) assert.ok(OPTION_ENVS.has(key), `Secret: ${key} is not a vigil server option`);
    for (const key of ['VIGIL_DATABASE_URL', 'VIGIL_REDIS_URL', 'VIGIL_SECRET_KEY']) assert.ok(secretKeys.includes(key), `Secret has ${key}`);
  });

  it('the Service selects the Deployment pods and targets the named container port', () => {
    const [svc] = byKind('Service');
    const [dep] = byKind('Deployment');
    const labels = obj(obj(obj(obj(dep?.spec, 'spec').template, 't').metadata, 'm').labels, 'labels');
    const sel = obj(obj(svc?.spec, 'spec').selector, 'selector');
    for (const [k, v] of Object.entries(sel)) assert.equal(labels[k], v);
    const c = obj(arr(obj(obj(obj(dep?.spec, 'spec').template, 't').spec, 'pod').containers, 'containers')[0], 'container');
    const portNames = arr(c.ports, 'ports').map((p) => obj(p, 'port').name);
    for (const p of arr(obj(svc?.spec, 'spec').ports, 'service ports')) assert.ok(portNames.includes(obj(p, 'port').targetPort));
  });
});
