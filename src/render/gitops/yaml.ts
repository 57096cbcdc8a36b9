import { Document } from 'yaml';

// Manifests are data; these helpers turn them into YAML text with the key order they were written in.

export type Manifest = Record<string, unknown>;

// No anchors for objects used twice (a selector reused as labels). YAML 1.1 rules for quoting, because kustomize,
// Helm and the CSI driver read with Go YAML 1.1 parsers, where an unquoted 01:00 is a number and on is a boolean.
const CREATE = { aliasDuplicateObjects: false, version: '1.1' } as const;
const OUTPUT = { lineWidth: 0 } as const;

/** One YAML file of one or more documents; `comment` goes above the first document. */
export function yamlFile(docs: readonly Manifest[], comment?: string): string {
  if (docs.length === 0) throw new Error('gitops: a manifest file needs at least one document');
  return docs
    .map((data, i) => {
      const doc = new Document(data, CREATE);
      if (i === 0 && comment)
        doc.commentBefore = comment
          .split('\n')
          .map((line) => ` ${line}`)
          .join('\n');
      return doc.toString(OUTPUT);
    })
    .join('---\n');
}

/** A YAML fragment (a patch or an embedded document), as kustomize and the CSI driver take them in strings. */
export function yamlText(data: unknown): string {
  return new Document(data, CREATE).toString(OUTPUT);
}

export function metadata(
  name: string,
  namespace?: string,
  labels?: Record<string, string>,
  annotations?: Record<string, string>,
): Manifest {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

export function namespaceManifest(name: string, labels?: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: metadata(name, undefined, labels) };
}

/** kustomize's config file for a folder: the files and folders it builds, and its patches. */
export function kustomizationFile(resources: readonly string[], patches: readonly Manifest[] = []): string {
  return yamlFile([
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [...resources],
      ...(patches.length > 0 ? { patches: [...patches] } : {}),
    },
  ]);
}
