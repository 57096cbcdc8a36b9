import { stringify } from 'yaml';
import { answersJsonSchema } from '../answers/schema.js';
import { GENERATOR_VERSION } from '../versions.js';
import type { CatalogOrigin } from './load.js';
import type { CatalogTemplate } from './schema.js';

// A Backstage Software Template (scaffolder.backstage.io/v1beta3) per catalog template: the answers' JSON Schema as
// form pages, locked answers removed, allowed values as enums or bounds, and steps that run this generator through
// Backstage's run:yeoman action and publish the result.

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  [key: string]: unknown;
};

/** Form pages: which top-level answers each page of the Backstage form asks. */
const PAGES: { title: string; keys: string[] }[] = [
  { title: 'Platform', keys: ['organisation', 'platform', 'location', 'environments'] },
  { title: 'Network', keys: ['network'] },
  { title: 'Cluster', keys: ['cluster'] },
  { title: 'Identity and access', keys: ['identity', 'teams'] },
  { title: 'Secrets and upgrades', keys: ['secrets', 'upgrades'] },
  { title: 'Observability', keys: ['observability'] },
  { title: 'Delivery', keys: ['delivery'] },
];

/** The schema node that holds the last segment of a path as a property, walking lists through `items`. */
function parentOf(root: JsonSchema, path: string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const segment of path.slice(0, -1)) {
    node = segment === '*' || /^\d+$/.test(segment) ? node?.items : node?.properties?.[segment];
  }
  return node;
}

function removeAnswer(root: JsonSchema, path: string): void {
  const segments = path.split('.');
  const parent = parentOf(root, segments);
  const key = segments[segments.length - 1]!;
  if (!parent?.properties?.[key]) return;
  delete parent.properties[key];
  if (parent.required) parent.required = parent.required.filter((r) => r !== key);
}

function restrictAnswer(root: JsonSchema, path: string, allowed: CatalogTemplate['allowed'][string]): void {
  const segments = path.split('.');
  const field = parentOf(root, segments)?.properties?.[segments[segments.length - 1]!];
  if (!field) return;
  const target = field.type === 'array' && field.items ? field.items : field;
  if (Array.isArray(allowed)) {
    target.enum = allowed;
    delete target.pattern;
  } else {
    if (allowed.min !== undefined) target.minimum = allowed.min;
    if (allowed.max !== undefined) target.maximum = allowed.max;
  }
}

/** The form parameters of a template: the answers schema shaped by the template's policy. */
export function backstageParameters(template: CatalogTemplate): JsonSchema[] {
  const schema = structuredClone(answersJsonSchema()) as JsonSchema;
  for (const path of Object.keys(template.locked)) removeAnswer(schema, path);
  for (const [path, allowed] of Object.entries(template.allowed)) restrictAnswer(schema, path, allowed);
  const pages = PAGES.map(({ title, keys }) => ({
    title,
    properties: Object.fromEntries(keys.filter((k) => schema.properties?.[k]).map((k) => [k, schema.properties![k]!])),
  })).filter((page) => Object.keys(page.properties).length > 0);
  return [
    ...pages,
    {
      title: 'Repository',
      required: ['repoUrl'],
      properties: {
        repoUrl: {
          title: 'Repository',
          type: 'string',
          'ui:field': 'RepoUrlPicker',
          'ui:options': { allowedHosts: ['github.com'] },
        },
      },
    },
  ];
}

/** What a Backstage backend needs to run the exported templates. */
export const BACKSTAGE_REQUIREMENTS = [
  '@backstage/plugin-scaffolder-backend-module-yeoman (the run:yeoman action)',
  '@backstage/plugin-scaffolder-backend-module-github (the publish:github action)',
  `generator-aks-platform@${GENERATOR_VERSION} and yeoman-generator installed in the backend (npm i generator-aks-platform yeoman-generator)`,
  'GITHUB_TOKEN in the backend environment with read access to the catalog repository',
] as const;

/**
 * The catalog as the generator running inside Backstage can read it: a GitHub repository at a commit, from an
 * https://github.com/<owner>/<repo>[/tree/<ref>] URL. A folder path on this machine means nothing there.
 */
export function fetchableCatalog(url: string): { source: string; url: string } | undefined {
  const match = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/tree\/([^\s?#]+?))?\/?$/.exec(url);
  if (!match) return undefined;
  const [, owner, repo, ref] = match;
  return {
    source: `${owner}/${repo}${ref ? `@${ref}` : ''}`,
    url: `https://github.com/${owner}/${repo}${ref ? `/tree/${ref}` : ''}`,
  };
}

/** The Backstage template.yaml of one catalog template; `catalog` is where Backstage's generator run reads it. */
export function backstageTemplate(
  template: CatalogTemplate,
  origin: CatalogOrigin,
  catalog: { source: string; url: string },
): string {
  const answerKeys = PAGES.flatMap((page) => page.keys);
  const source = catalog.source;
  const entity = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: `aks-platform-${template.name}`,
      title: `AKS platform: ${template.name} ${template.version}`,
      description: template.description,
      tags: ['aks', 'azure', 'kubernetes', 'gitops'],
      annotations: {
        'aks-platform/catalog-template': `${template.name}@${template.version}`,
        'aks-platform/generator-version': GENERATOR_VERSION,
        'aks-platform/requires': BACKSTAGE_REQUIREMENTS.join('; '),
        'backstage.io/source-location': `url:${catalog.url}`,
        ...(origin.commit ? { 'aks-platform/catalog-commit': origin.commit } : {}),
      },
    },
    spec: {
      type: 'platform',
      parameters: backstageParameters(template),
      steps: [
        {
          id: 'generate',
          name: 'Generate the platform repository',
          action: 'run:yeoman',
          input: {
            namespace: 'aks-platform',
            options: {
              yes: true,
              catalog: source,
              template: `${template.name}@${template.version}`,
              inlineAnswers: Object.fromEntries(answerKeys.map((key) => [key, `\${{ parameters.${key} }}`])),
            },
          },
        },
        {
          id: 'publish',
          name: 'Publish to GitHub',
          action: 'publish:github',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            defaultBranch: 'main',
            repoVisibility: 'private',
            description: `AKS platform from catalog template ${template.name} ${template.version}`,
          },
        },
      ],
      output: { links: [{ title: 'Repository', url: "${{ steps['publish'].output.remoteUrl }}" }] },
    },
  };
  return stringify(entity, { lineWidth: 0 });
}
