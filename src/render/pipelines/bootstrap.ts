import type { Plan } from '../../plan/index.js';
import {
  PIPELINE_ROLE_IDS,
  jobRole,
  FLEET_OPERATOR_ROLE,
  operatorActions,
  operatorRoleGuid,
  pipelineIdentities,
  pipelineResourceGroup,
  type IdentityKind,
  type PipelineIdentity,
  type SubscriptionGrant,
} from '../../plan/pipeline-identities.js';
import { AZURE_API_VERSIONS, pinnedVersion } from '../../versions.js';

// The identities the pipelines sign in as: user-assigned managed identities with federated credentials (no secret to
// leak or rotate), deployed once by a person with Owner rights before the first pipeline run. Which identity holds
// which role comes from the contract table in plan/pipeline-identities.ts.

export const BOOTSTRAP_TEMPLATE = 'infra/bootstrap/pipeline-identity.bicep';
export const BOOTSTRAP_MODULE = 'infra/bootstrap/pipeline-identity-resources.bicep';

function api(type: string): string {
  return `${type}@${pinnedVersion<string>(AZURE_API_VERSIONS, type)}`;
}

function bicepString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
}

function banner(title: string): string {
  return `// ${'='.repeat(20)} ${title} ${'='.repeat(20)}`;
}

/** The role definition name (GUID) of each grant: built-in roles by their fixed ID, the custom what-if role by its. */
const GRANT_ROLE: Record<SubscriptionGrant['role'], string> = {
  reader: `'${PIPELINE_ROLE_IDS.reader}'`,
  whatIf: 'whatIfRoleName',
  contributor: `'${PIPELINE_ROLE_IDS.contributor}'`,
  rbacAdministrator: `'${PIPELINE_ROLE_IDS.rbacAdministrator}'`,
};

/** A custom role definition assignable in the subscription, granting exactly `actions`. */
function customRole(
  symbol: string,
  nameVariable: string,
  roleName: string,
  description: string,
  actions: readonly string[],
): string[] {
  return [
    `resource ${symbol} '${api('Microsoft.Authorization/roleDefinitions')}' = {`,
    `  name: ${nameVariable}`,
    '  properties: {',
    `    roleName: ${bicepString(roleName)}`,
    `    description: ${bicepString(description)}`,
    "    type: 'CustomRole'",
    '    permissions: [',
    '      {',
    '        actions: [',
    ...actions.map((a) => `          ${bicepString(a)}`),
    '        ]',
    '      }',
    '    ]',
    '    assignableScopes: [',
    '      subscription().id',
    '    ]',
    '  }',
    '}',
  ];
}

function identityLiteral(identity: PipelineIdentity): string[] {
  return [
    '  {',
    `    name: ${bicepString(identity.name)}`,
    `    clientIdVariable: ${bicepString(identity.clientIdVariable)}`,
    `    serviceConnection: ${bicepString(identity.serviceConnection)}`,
    ...(identity.githubSubjects.length > 0
      ? [
          '    githubCredentials: [',
          ...identity.githubSubjects.flatMap((s) => [
            '      {',
            `        name: ${bicepString(s.name)}`,
            `        subject: ${bicepString(s.subject)}`,
            '      }',
          ]),
          '    ]',
        ]
      : ['    githubCredentials: []']),
    '  }',
  ];
}

/** What each kind of identity signs in for, in the bootstrap README. */
const IDENTITY_PURPOSE: Record<IdentityKind, (key: string) => string> = {
  plan: () => 'pull request what-if',
  deploy: (key) => `deployment of ${key}`,
  operator: (key) => `stop/start and upgrades of the ${key} cluster`,
  fleet: () => 'fleet update runs (Kubernetes and node image upgrades)',
};

function mainTemplate(plan: Plan, identities: PipelineIdentity[]): string {
  const privileged = [
    PIPELINE_ROLE_IDS.owner,
    PIPELINE_ROLE_IDS.userAccessAdministrator,
    PIPELINE_ROLE_IDS.rbacAdministrator,
  ].join(', ');
  // Assign or remove any role except the privileged administrator roles (Microsoft's recommended condition for
  // delegating role assignment), so a deployment can never make itself or anyone else Owner or a role administrator.
  const condition = [
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {${privileged}}))`,
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {${privileged}}))`,
  ].join(' AND ');
  const grants = identities.flatMap((identity, index) => identity.grants.map((grant) => ({ index, grant })));
  const whatIf = jobRole('what-if');
  const whatIfActions = whatIf.actions.filter((a) => a !== '*/read');
  const lines = [
    "targetScope = 'subscription'",
    '',
    banner('PARAMETERS'),
    '',
    "@description('Region of the pipeline identities and their resource group.')",
    `param location string = ${bicepString(plan.location)}`,
    '',
    "@description('Resource group that holds the pipeline identities, apart from the platform so tearing an environment down keeps the pipelines signed in.')",
    '@minLength(1)',
    '@maxLength(90)',
    `param resourceGroupName string = ${bicepString(pipelineResourceGroup(plan))}`,
    '',
    "@description('Tags of the resource group and the identities, so they are found and owned like the rest of the platform.')",
    'param tags object = {',
    `  platform: ${bicepString(plan.platform)}`,
    "  purpose: 'pipeline-identity'",
    `  managedBy: ${bicepString(plan.generator.name)}`,
    '}',
    '',
    "@description('Issuer of the Azure DevOps organization (https://vstoken.dev.azure.com/<organization ID>), as its workload identity federation service connections show it. Empty: no Azure DevOps credentials.')",
    "param azureDevOpsIssuer string = ''",
    '',
    "@description('Azure DevOps organization name, the first part of the service connection subjects (sc://<organization>/<project>/<service connection>).')",
    "param azureDevOpsOrganization string = ''",
    '',
    "@description('Azure DevOps project name, the second part of the service connection subjects.')",
    "param azureDevOpsProject string = ''",
    '',
    banner('VARIABLES'),
    '',
    '// Custom roles are named by a GUID; the environment deployments compute the operator role the same way.',
    "var whatIfRoleName = guid(subscription().id, resourceGroupName, 'what-if')",
    `var operatorRoleName = ${operatorRoleGuid('resourceGroupName')}`,
    '',
    '// The deploy identities assign roles to the cluster, kubelet and workload identities, so they may assign roles,',
    '// but never Owner, User Access Administrator or Role Based Access Control Administrator.',
    `var roleAssignmentCondition = ${bicepString(condition)}`,
    '',
    '// One identity per kind of job (docs/pipelines.md): pull requests plan, each environment deploys, each cluster is',
    '// operated by its own. Each trusts only the GitHub token subjects and the Azure DevOps service connection named here.',
    'var pipelineIdentities = [',
    ...identities.flatMap(identityLiteral),
    ']',
    '',
    '// Roles on the subscription, by index into pipelineIdentities. The operators have none: each environment deployment',
    '// grants its operator the cluster operator role on its cluster only.',
    ...(identities.some((i) => i.kind === 'fleet')
      ? ['// The fleet operator has none either: the fleet deployment grants it its role on the fleet only.']
      : []),
    'var subscriptionGrants = [',
    ...grants.flatMap(({ index, grant }) => [
      '  {',
      `    identity: ${index}`,
      `    role: ${bicepString(grant.role)}`,
      `    roleDefinitionName: ${GRANT_ROLE[grant.role]}`,
      `    conditioned: ${grant.role === 'rbacAdministrator'}`,
      `    description: ${bicepString(grant.why)}`,
      '  }',
    ]),
    ']',
    '',
    banner('RESOURCES'),
    '',
    '// Its own resource group, so the identities outlive any platform environment.',
    `resource pipelineResourceGroup '${api('Microsoft.Resources/resourceGroups')}' = {`,
    '  name: resourceGroupName',
    '  location: location',
    '  tags: tags',
    '}',
    '',
    `// What-if with ProviderNoRbac validation checks read permissions only (${whatIf.source}).`,
    ...customRole(
      'whatIfRole',
      'whatIfRoleName',
      `${plan.platform} pipeline what-if`,
      'Preview and validate deployments; no write access.',
      whatIfActions,
    ),
    '',
    '// Start, stop and upgrade a cluster, nothing else; assigned on each cluster by its environment deployment.',
    ...customRole(
      'operatorRole',
      'operatorRoleName',
      `${plan.platform} pipeline cluster operator`,
      'Start, stop and upgrade an AKS cluster and its node pools.',
      operatorActions(plan),
    ),
    '',
    '// The identities and their credentials are resource-group resources, hence a module.',
    "module identities 'pipeline-identity-resources.bicep' = [",
    '  for identity in pipelineIdentities: {',
    "    name: take('pipeline-${identity.name}', 64)",
    '    scope: pipelineResourceGroup',
    '    params: {',
    '      location: location',
    '      identityName: identity.name',
    '      tags: tags',
    '      githubCredentials: identity.githubCredentials',
    '      azureDevOpsIssuer: azureDevOpsIssuer',
    "      azureDevOpsSubject: empty(azureDevOpsOrganization) ? '' : 'sc://${azureDevOpsOrganization}/${azureDevOpsProject}/${identity.serviceConnection}'",
    '    }',
    '  }',
    ']',
    '',
    '// The subscription roles of the plan and deploy identities.',
    `resource grants '${api('Microsoft.Authorization/roleAssignments')}' = [`,
    '  for grant in subscriptionGrants: {',
    '    name: guid(subscription().id, resourceGroupName, pipelineIdentities[grant.identity].name, grant.role)',
    '    properties: {',
    "      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.roleDefinitionName)",
    '      principalId: identities[grant.identity].outputs.principalId',
    "      principalType: 'ServicePrincipal'",
    '      description: grant.description',
    '      condition: grant.conditioned ? roleAssignmentCondition : null',
    "      conditionVersion: grant.conditioned ? '2.0' : null",
    '    }',
    '    dependsOn: [',
    '      whatIfRole',
    '    ]',
    '  }',
    ']',
    '',
    banner('OUTPUTS'),
    '',
    "@description('Client ID of each identity, with the GitHub repository variable and the Azure DevOps service connection that use it.')",
    'output clientIds array = [',
    '  for (identity, i) in pipelineIdentities: {',
    '    identity: identity.name',
    '    clientIdVariable: identity.clientIdVariable',
    '    serviceConnection: identity.serviceConnection',
    '    clientId: identities[i].outputs.clientId',
    '  }',
    ']',
    '',
    "@description('AZURE_TENANT_ID of the pipelines.')",
    'output tenantId string = tenant().tenantId',
    '',
    "@description('AZURE_SUBSCRIPTION_ID of the pipelines.')",
    'output subscriptionId string = subscription().subscriptionId',
    '',
    "@description('ID of the cluster operator role the environment deployments assign.')",
    'output operatorRoleId string = operatorRole.id',
  ];
  return `${lines.join('\n')}\n`;
}

function moduleTemplate(): string {
  const credential = api('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials');
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
    "@description('GitHub Actions OIDC subjects allowed to sign in, each with a credential name; empty for none.')",
    'param githubCredentials {',
    '  name: string',
    '  subject: string',
    '}[]',
    '',
    "@description('Issuer of the Azure DevOps organization; empty for none.')",
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
    '// The Azure DevOps service connection bound to this identity, once the organization is known.',
    `resource azureDevOpsFederation '${credential}' = if (!empty(azureDevOpsIssuer) && !empty(azureDevOpsSubject)) {`,
    '  parent: pipelineIdentity',
    "  name: 'azure-devops'",
    '  properties: {',
    '    issuer: azureDevOpsIssuer',
    '    subject: azureDevOpsSubject',
    "    audiences: ['api://AzureADTokenExchange']",
    '  }',
    '  dependsOn: [githubFederation]',
    '}',
    '',
    banner('OUTPUTS'),
    '',
    "@description('Principal (object) ID of the identity, for role assignments.')",
    'output principalId string = pipelineIdentity.properties.principalId',
    '',
    "@description('Client ID of the identity.')",
    'output clientId string = pipelineIdentity.properties.clientId',
  ];
  return `${lines.join('\n')}\n`;
}

function readme(plan: Plan, identities: PipelineIdentity[]): string {
  return [
    '# Pipeline identities (bootstrap)',
    '',
    `Deployed once, by a person, before the first pipeline run: the user-assigned managed identities the pipelines sign in as through federated credentials, in \`${pipelineResourceGroup(plan)}\`, with their roles. The pipelines never deploy this folder.`,
    '',
    '```bash',
    `az deployment sub create --name pipeline-identity --location ${plan.location} --template-file ${BOOTSTRAP_TEMPLATE}`,
    '```',
    '',
    '| Identity | Signs in for | Roles |',
    '|---|---|---|',
    ...identities.map(
      (i) =>
        `| \`${i.name}\` | ${IDENTITY_PURPOSE[i.kind](i.key)} | ${i.grants.length > 0 ? i.grants.map((g) => g.role).join(', ') + ' (subscription)' : i.kind === 'fleet' ? `${FLEET_OPERATOR_ROLE.name} (the fleet only)` : 'cluster operator (its cluster only)'} |`,
    ),
    '',
    'The whole setup (roles and why, repository variables, environments, Azure DevOps) is in [docs/pipelines.md](../../docs/pipelines.md).',
    '',
  ].join('\n');
}

export function* bootstrapFiles(plan: Plan): Generator<[string, string]> {
  const identities = pipelineIdentities(plan);
  yield [BOOTSTRAP_TEMPLATE, mainTemplate(plan, identities)];
  yield [BOOTSTRAP_MODULE, moduleTemplate()];
  yield ['infra/bootstrap/README.md', readme(plan, identities)];
}
