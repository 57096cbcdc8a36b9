import type { Plan } from '../../plan/index.js';
import { AZURE_API_VERSIONS, pinnedVersion } from '../../versions.js';

// The identity the pipelines sign in as: a user-assigned managed identity with federated credentials (no secret to
// leak or rotate), deployed once by a person with Owner rights before the first pipeline run.

export const BOOTSTRAP_TEMPLATE = 'infra/bootstrap/pipeline-identity.bicep';
export const BOOTSTRAP_MODULE = 'infra/bootstrap/pipeline-identity-resources.bicep';

/** Built-in role definition IDs; the same in every tenant. */
export const ROLES = {
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  rbacAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
} as const;

export interface FederatedSubject {
  name: string;
  subject: string;
}

/**
 * The GitHub OIDC subjects the workflows present: pushes and manual runs on the branch (also scheduled runs, which
 * GitHub starts on the default branch), pull requests (what-if), and each environment (deploy and upgrade jobs).
 * Without a known owner the subjects are unknown, so there are none.
 */
export function githubSubjects(plan: Plan): FederatedSubject[] {
  const repo = plan.gitRepository;
  if (!repo || !plan.components.githubActions) return [];
  const prefix = `repo:${repo.owner}/${repo.repo}`;
  return [
    { name: 'github-branch', subject: `${prefix}:ref:refs/heads/${repo.branch}` },
    { name: 'github-pull-request', subject: `${prefix}:pull_request` },
    ...plan.environments.map((env) => ({
      name: `github-environment-${env.name}`,
      subject: `${prefix}:environment:${env.name}`,
    })),
  ];
}

export function pipelineIdentityNames(plan: Plan): { resourceGroup: string; identity: string } {
  return { resourceGroup: `rg-${plan.platform}-pipeline-${plan.location}`, identity: `id-${plan.platform}-pipeline` };
}

function api(type: string): string {
  return `${type}@${pinnedVersion<string>(AZURE_API_VERSIONS, type)}`;
}

function bicepString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
}

/** A flat object of strings as a multi-line Bicep literal. */
function bicepObject(values: Record<string, string>): string {
  return `{\n${Object.entries(values)
    .map(([key, value]) => `  ${key}: ${bicepString(value)}\n`)
    .join('')}}`;
}

function banner(title: string): string {
  return `// ${'='.repeat(20)} ${title} ${'='.repeat(20)}`;
}

function mainTemplate(plan: Plan, subjects: FederatedSubject[]): string {
  const names = pipelineIdentityNames(plan);
  const privileged = [ROLES.owner, ROLES.userAccessAdministrator, ROLES.rbacAdministrator].join(', ');
  // Assign or remove any role except the privileged administrator roles (Microsoft's recommended condition for
  // delegating role assignment), so the pipeline can never make itself or anyone else Owner or a role administrator.
  const condition = [
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {${privileged}}))`,
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {${privileged}}))`,
  ].join(' AND ');
  const lines = [
    "targetScope = 'subscription'",
    '',
    banner('PARAMETERS'),
    '',
    "@description('Region of the pipeline identity and its resource group.')",
    `param location string = ${bicepString(plan.location)}`,
    '',
    "@description('Resource group that holds the pipeline identity, apart from the platform so tearing an environment down keeps the pipelines signed in.')",
    '@minLength(1)',
    '@maxLength(90)',
    `param resourceGroupName string = ${bicepString(names.resourceGroup)}`,
    '',
    "@description('Name of the user-assigned managed identity the pipelines sign in as.')",
    '@minLength(3)',
    '@maxLength(128)',
    `param identityName string = ${bicepString(names.identity)}`,
    '',
    "@description('Tags of the resource group and the identity, so they are found and owned like the rest of the platform.')",
    `param tags object = ${bicepObject({ platform: plan.platform, purpose: 'pipeline-identity', managedBy: plan.generator.name })}`,
    '',
    "@description('Issuer of the Azure DevOps workload identity federation service connection, as the service connection shows it. Empty: no Azure DevOps credential.')",
    "param azureDevOpsIssuer string = ''",
    '',
    "@description('Subject identifier of that service connection, as it shows it. Empty: no Azure DevOps credential.')",
    "param azureDevOpsSubject string = ''",
    '',
    banner('VARIABLES'),
    '',
    `var contributorRoleId = '${ROLES.contributor}'`,
    `var rbacAdministratorRoleId = '${ROLES.rbacAdministrator}'`,
    '',
    '// The deployment assigns roles to the cluster, kubelet and workload identities, so the pipeline may assign roles,',
    '// but never Owner, User Access Administrator or Role Based Access Control Administrator.',
    `var roleAssignmentCondition = ${bicepString(condition)}`,
    '',
    ...(subjects.length > 0
      ? [
          '// The GitHub Actions OIDC subjects of this repository: its branch, its pull requests and each environment.',
          'var githubCredentials = [',
          ...subjects.flatMap((s) => [
            '  {',
            `    name: ${bicepString(s.name)}`,
            `    subject: ${bicepString(s.subject)}`,
            '  }',
          ]),
          ']',
          '',
        ]
      : [
          '// No GitHub federated credentials: the repository owner was not given, so the token subjects are unknown.',
          '// Set delivery.github.owner and regenerate to add them.',
          '',
        ]),
    banner('RESOURCES'),
    '',
    '// Its own resource group, so the identity outlives any platform environment.',
    `resource pipelineResourceGroup '${api('Microsoft.Resources/resourceGroups')}' = {`,
    '  name: resourceGroupName',
    '  location: location',
    '  tags: tags',
    '}',
    '',
    '// The identity and its credentials are resource-group resources, hence a module.',
    "module identity 'pipeline-identity-resources.bicep' = {",
    "  name: 'pipeline-identity'",
    '  scope: pipelineResourceGroup',
    '  params: {',
    '    location: location',
    '    identityName: identityName',
    '    tags: tags',
    ...(subjects.length > 0 ? ['    githubCredentials: githubCredentials'] : []),
    '    azureDevOpsIssuer: azureDevOpsIssuer',
    '    azureDevOpsSubject: azureDevOpsSubject',
    '  }',
    '}',
    '',
    '// Contributor on the subscription: the deployments create resource groups, networks, clusters and their add-ons.',
    `resource contributorAssignment '${api('Microsoft.Authorization/roleAssignments')}' = {`,
    '  name: guid(subscription().id, resourceGroupName, identityName, contributorRoleId)',
    '  properties: {',
    "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)",
    '    principalId: identity.outputs.principalId',
    "    principalType: 'ServicePrincipal'",
    "    description: 'Pipelines deploy the AKS platform.'",
    '  }',
    '}',
    '',
    '// Role assignments are part of the platform (AcrPull, Key Vault, cluster RBAC), which Contributor cannot write.',
    `resource roleAssignerAssignment '${api('Microsoft.Authorization/roleAssignments')}' = {`,
    '  name: guid(subscription().id, resourceGroupName, identityName, rbacAdministratorRoleId)',
    '  properties: {',
    "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacAdministratorRoleId)",
    '    principalId: identity.outputs.principalId',
    "    principalType: 'ServicePrincipal'",
    "    description: 'Pipelines assign the platform roles, never the privileged administrator roles.'",
    '    condition: roleAssignmentCondition',
    "    conditionVersion: '2.0'",
    '  }',
    '}',
    '',
    banner('OUTPUTS'),
    '',
    "@description('AZURE_CLIENT_ID of the pipelines.')",
    'output clientId string = identity.outputs.clientId',
    '',
    "@description('AZURE_TENANT_ID of the pipelines.')",
    'output tenantId string = tenant().tenantId',
    '',
    "@description('AZURE_SUBSCRIPTION_ID of the pipelines.')",
    'output subscriptionId string = subscription().subscriptionId',
  ];
  return `${lines.join('\n')}\n`;
}

function moduleTemplate(subjects: FederatedSubject[]): string {
  const credential = api('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials');
  const github = subjects.length > 0;
  const lines = [
    banner('PARAMETERS'),
    '',
    "@description('Region of the identity.')",
    'param location string',
    '',
    "@description('Name of the user-assigned managed identity.')",
    'param identityName string',
    '',
    "@description('Tags of the identity.')",
    'param tags object',
    '',
    ...(github
      ? [
          "@description('GitHub Actions OIDC subjects allowed to sign in, each with a credential name.')",
          'param githubCredentials {',
          '  name: string',
          '  subject: string',
          '}[]',
          '',
        ]
      : []),
    "@description('Issuer of the Azure DevOps service connection; empty for none.')",
    'param azureDevOpsIssuer string',
    '',
    "@description('Subject identifier of the Azure DevOps service connection; empty for none.')",
    'param azureDevOpsSubject string',
    '',
    banner('RESOURCES'),
    '',
    '// The pipelines sign in as this identity through federated credentials: there is no secret to store or rotate.',
    `resource pipelineIdentity '${api('Microsoft.ManagedIdentity/userAssignedIdentities')}' = {`,
    '  name: identityName',
    '  location: location',
    '  tags: tags',
    '}',
    '',
    ...(github
      ? [
          '// Azure rejects concurrent writes of federated credentials on one identity, hence one at a time.',
          '@batchSize(1)',
          `resource githubFederation '${credential}' = [`,
          '  for credential in githubCredentials: {',
          '    parent: pipelineIdentity',
          '    name: credential.name',
          '    properties: {',
          "      issuer: 'https://token.actions.githubusercontent.com'",
          '      subject: credential.subject',
          "      audiences: ['api://AzureADTokenExchange']",
          '    }',
          '  }',
          ']',
          '',
        ]
      : []),
    '// The Azure DevOps service connection, once its issuer and subject are known.',
    `resource azureDevOpsFederation '${credential}' = if (!empty(azureDevOpsSubject)) {`,
    '  parent: pipelineIdentity',
    "  name: 'azure-devops'",
    '  properties: {',
    '    issuer: azureDevOpsIssuer',
    '    subject: azureDevOpsSubject',
    "    audiences: ['api://AzureADTokenExchange']",
    '  }',
    ...(github ? ['  dependsOn: [githubFederation]'] : []),
    '}',
    '',
    banner('OUTPUTS'),
    '',
    "@description('Principal (object) ID of the identity, for role assignments.')",
    'output principalId string = pipelineIdentity.properties.principalId',
    '',
    "@description('Client ID of the identity: AZURE_CLIENT_ID of the pipelines.')",
    'output clientId string = pipelineIdentity.properties.clientId',
  ];
  return `${lines.join('\n')}\n`;
}

function readme(plan: Plan, subjects: FederatedSubject[]): string {
  const names = pipelineIdentityNames(plan);
  return [
    '# Pipeline identity (bootstrap)',
    '',
    `Deployed once, by a person, before the first pipeline run: the user-assigned managed identity \`${names.identity}\` that the pipelines sign in as through federated credentials, and its two roles on the subscription. The pipelines never deploy this folder.`,
    '',
    '```bash',
    `az deployment sub create --name pipeline-identity --location ${plan.location} --template-file ${BOOTSTRAP_TEMPLATE}`,
    '```',
    '',
    subjects.length > 0
      ? `It trusts ${subjects.length} GitHub token subjects of ${plan.gitRepository!.owner}/${plan.gitRepository!.repo}: the branch, pull requests and each environment.`
      : 'It has no GitHub federated credentials: the repository owner was not given, so the token subjects are unknown.',
    '',
    'The whole setup (roles and why, repository variables, environments, Azure DevOps) is in [docs/pipelines.md](../../docs/pipelines.md).',
    '',
  ].join('\n');
}

export function* bootstrapFiles(plan: Plan): Generator<[string, string]> {
  const subjects = githubSubjects(plan);
  yield [BOOTSTRAP_TEMPLATE, mainTemplate(plan, subjects)];
  yield [BOOTSTRAP_MODULE, moduleTemplate(subjects)];
  yield ['infra/bootstrap/README.md', readme(plan, subjects)];
}
