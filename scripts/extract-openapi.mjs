// Extracts the GitHub REST operations `aks-platform publish` and `upgrade --pr` use from GitHub's official OpenAPI description
// (npm @octokit/openapi, 385 MB unpacked: install it outside the repository) into a small committed test fixture.
// The Enterprise Cloud description is used: it is api.github.com's plus what enterprise organisations accept
// (visibility "internal"), which publish offers.
//
//   mkdir /tmp/oa && cd /tmp/oa && npm install @octokit/openapi
//   node scripts/extract-openapi.mjs /tmp/oa/node_modules/@octokit/openapi/generated/ghec.deref.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OPERATIONS = [
  ['get', '/user'],
  ['get', '/users/{username}'],
  ['get', '/orgs/{org}/teams/{team_slug}'],
  ['post', '/orgs/{org}/repos'],
  ['post', '/user/repos'],
  ['get', '/repos/{owner}/{repo}'],
  ['patch', '/repos/{owner}/{repo}'],
  ['get', '/repos/{owner}/{repo}/git/ref/{ref}'],
  ['put', '/repos/{owner}/{repo}/branches/{branch}/protection'],
  ['put', '/repos/{owner}/{repo}/environments/{environment_name}'],
  ['get', '/repos/{owner}/{repo}/actions/variables/{name}'],
  ['post', '/repos/{owner}/{repo}/actions/variables'],
  ['patch', '/repos/{owner}/{repo}/actions/variables/{name}'],
  ['post', '/repos/{owner}/{repo}/pulls'],
];

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/extract-openapi.mjs <path to ghec.deref.json>');
  process.exit(1);
}
const spec = JSON.parse(readFileSync(source, 'utf8'));

/** OpenAPI 3.0 `nullable` as JSON Schema, and descriptions dropped: the fixture stays small and ajv reads it as is. */
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (['description', 'example', 'examples', 'title', 'deprecated', 'externalDocs', 'x-github'].includes(key))
      continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.enum) out.enum = [...out.enum, null];
    else return { anyOf: [out, { type: 'null' }] };
    if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  delete out.nullable;
  return out;
}

function firstExample(content) {
  const json = content?.['application/json'];
  if (!json) return undefined;
  if (json.example !== undefined) return json.example;
  const first = Object.values(json.examples ?? {})[0];
  return first?.value;
}

const operations = {};
for (const [method, path] of OPERATIONS) {
  const op = spec.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in ${source}`);
  operations[`${method.toUpperCase()} ${path}`] = {
    operationId: op.operationId,
    parameters: (op.parameters ?? []).map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required === true,
      schema: toJsonSchema(p.schema),
    })),
    requestBody: op.requestBody
      ? {
          required: op.requestBody.required === true,
          schema: toJsonSchema(op.requestBody.content['application/json'].schema),
        }
      : undefined,
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([code, r]) => [code, { example: firstExample(r.content) }]),
    ),
  };
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'github-openapi.json');
writeFileSync(out, `${JSON.stringify({ source: `${spec.info.title} ${spec.info.version}`, operations }, null, 1)}\n`);
console.log(`wrote ${Object.keys(operations).length} operations to ${out}`);
