import { describe, expect, it } from 'vitest';
import { lineMerge } from '../src/upgrade/line-merge.js';
import { mergeYaml } from '../src/upgrade/yaml-merge.js';

const LABELS = { ours: 'HEAD', base: 'previous generation', theirs: 'aks-platform/generated' };
const merge = (base: string, ours: string, theirs: string) => mergeYaml(base, ours, theirs, LABELS, lineMerge);

const BASE = `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    team: a
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-a
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: web:1
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
        - name: sidecar
          image: sidecar:1
`;

describe('mergeYaml: per Kubernetes object and per key', () => {
  it('keeps both sides when they change different keys of the same object (a line conflict for git)', () => {
    const ours = BASE.replace('cpu: 10m', 'cpu: 50m');
    const theirs = BASE.replace('memory: 16Mi', 'memory: 32Mi');
    expect(lineMerge(ours, BASE, theirs, LABELS).conflicts).toBeGreaterThan(0);
    const result = merge(BASE, ours, theirs)!;
    expect(result.conflicts).toBe(0);
    expect(result.text).toBe(BASE.replace('cpu: 10m', 'cpu: 50m').replace('memory: 16Mi', 'memory: 32Mi'));
  });

  it("keeps the user's comments, key order and object order; matches objects by identity, not position", () => {
    const ours = `# The team's deployment first
apiVersion: apps/v1
kind: Deployment
metadata:
  namespace: team-a # ours moved namespace above name
  name: web
spec:
  replicas: 3 # scaled by the team
  template:
    spec:
      containers:
        - name: web
          image: web:1
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
        - name: sidecar
          image: sidecar:1
---
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    team: a
`;
    const theirs = BASE.replace('image: web:1', 'image: web:2').replace(
      '    team: a\n',
      '    team: a\n    tier: platform\n',
    );
    const result = merge(BASE, ours, theirs)!;
    expect(result.conflicts).toBe(0);
    expect(result.text).toContain("# The team's deployment first");
    expect(result.text).toContain('replicas: 3 # scaled by the team');
    expect(result.text).toContain('namespace: team-a # ours moved namespace above name\n  name: web');
    expect(result.text).toContain('image: web:2');
    expect(result.text).toContain('    team: a\n    tier: platform\n');
    expect(result.text.indexOf('kind: Deployment')).toBeLessThan(result.text.indexOf('kind: Namespace'));
  });

  it('merges lists of named items (containers) by name; upstream additions and removals apply', () => {
    const ours = BASE.replace('image: sidecar:1', 'image: sidecar:1\n          args: [--verbose]');
    const theirs = BASE.replace('image: web:1', 'image: web:2').replace('  replicas: 1\n', '');
    const result = merge(BASE, ours, theirs)!;
    expect(result.conflicts).toBe(0);
    expect(result.text).toContain('image: web:2');
    expect(result.text).toContain('args: [ --verbose ]');
    expect(result.text).not.toContain('replicas');
  });

  it('adds objects upstream added, removes objects upstream removed that the user left alone', () => {
    const extra = '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: team-a\n';
    const ours = BASE.replace('replicas: 1', 'replicas: 2');
    const theirs = BASE.split('---\n')[1]! + extra;
    const result = merge(BASE, ours, theirs)!;
    expect(result.conflicts).toBe(0);
    expect(result.text).not.toContain('kind: Namespace');
    expect(result.text).toContain('replicas: 2');
    expect(result.text).toContain('kind: ServiceAccount');
  });

  it('a key changed on both sides is the only conflict, marked around that key', () => {
    const ours = BASE.replace('cpu: 10m', 'cpu: 50m').replace('replicas: 1', 'replicas: 2');
    const theirs = BASE.replace('cpu: 10m', 'cpu: 20m').replace('image: sidecar:1', 'image: sidecar:2');
    const result = merge(BASE, ours, theirs)!;
    expect(result.conflicts).toBe(1);
    expect(result.text).toContain(
      '<<<<<<< HEAD\n              cpu: 50m\n=======\n              cpu: 20m\n>>>>>>> aks-platform/generated\n',
    );
    expect(result.text.match(/<<<<<<</g)).toHaveLength(1);
    expect(result.text).toContain('replicas: 2');
    expect(result.text).toContain('image: sidecar:2');
  });

  it('a key the user removed and upstream changed is a conflict that keeps both sides visible', () => {
    const ours = BASE.replace('  replicas: 1\n', '');
    const theirs = BASE.replace('replicas: 1', 'replicas: 5');
    const result = merge(BASE, ours, theirs)!;
    expect(result.conflicts).toBe(1);
    expect(result.text).toMatch(/<<<<<<< HEAD\n=======\n {2}replicas: 5\n>>>>>>> /);
  });

  it('leaves what it cannot merge structurally to the line merge (not YAML; an edited object removed upstream)', () => {
    expect(merge('a: [', 'a: [1', 'a: [2')).toBeUndefined();
    const ours = BASE.replace('team: a', 'team: alpha');
    const theirs = BASE.split('---\n')[1]!;
    expect(merge(BASE, ours, theirs)).toBeUndefined();
  });
});

describe('mergeYaml: a list item renamed on both sides', () => {
  const WORKFLOW = `name: infra
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: actions/checkout@v4
      - name: Deploy
        run: az deployment sub create
`;

  it('is a conflict naming both new names, not the step kept twice', () => {
    const ours = WORKFLOW.replace('name: Deploy', 'name: Deploy the platform');
    const theirs = WORKFLOW.replace('name: Deploy', 'name: Deploy infrastructure');
    const result = merge(WORKFLOW, ours, theirs)!;
    expect(result.conflicts).toBeGreaterThan(0);
    expect(result.text).toContain('<<<<<<< HEAD');
    expect(result.text).toContain('name: Deploy the platform');
    expect(result.text).toContain('name: Deploy infrastructure');
  });

  it('a step renamed on one side and one added on the other still merge cleanly', () => {
    const ours = WORKFLOW.replace('name: Deploy', 'name: Deploy the platform');
    const theirs = `${WORKFLOW}      - name: Smoke test\n        run: ./smoke.sh\n`;
    const result = merge(WORKFLOW, ours, theirs)!;
    expect(result.conflicts).toBe(0);
    expect(result.text).toContain('name: Deploy the platform');
    expect(result.text).toContain('name: Smoke test');
    expect(result.text).not.toMatch(/name: Deploy\n/);
  });
});
