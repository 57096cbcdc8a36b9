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
import { api, bicepLiteral, bicepString, expr, type BicepValue } from '../infra/bicep.js';
import { renderTemplate } from '../template.js';

// The identities the pipelines sign in as: user-assigned managed identities with federated credentials (no secret to
// leak or rotate), deployed once by a person with Owner rights before the first pipeline run. Which identity holds
// which role comes from the contract table in plan/pipeline-identities.ts.

export const BOOTSTRAP_TEMPLATE = 'infra/bootstrap/pipeline-identity.bicep';
export const BOOTSTRAP_MODULE = 'infra/bootstrap/pipeline-identity-resources.bicep';

/** The role definition name (GUID) of each grant: built-in roles by their fixed ID, the custom what-if role by its. */
const GRANT_ROLE: Record<SubscriptionGrant['role'], BicepValue> = {
  reader: PIPELINE_ROLE_IDS.reader,
  whatIf: expr('whatIfRoleName'),
  contributor: PIPELINE_ROLE_IDS.contributor,
  rbacAdministrator: PIPELINE_ROLE_IDS.rbacAdministrator,
};

function identityValue(identity: PipelineIdentity): BicepValue {
  return {
    name: identity.name,
    clientIdVariable: identity.clientIdVariable,
    serviceConnection: identity.serviceConnection,
    githubCredentials: identity.githubSubjects.map((s) => ({ name: s.name, subject: s.subject })),
  };
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
  const grants = identities.flatMap((identity, index) =>
    identity.grants.map((grant) => ({
      identity: index,
      role: grant.role,
      roleDefinitionName: GRANT_ROLE[grant.role],
      conditioned: grant.role === 'rbacAdministrator',
      description: grant.why,
    })),
  );
  const whatIf = jobRole('what-if');
  const customRole = (
    why: string,
    symbol: string,
    nameVariable: string,
    roleName: string,
    description: string,
    actions: readonly string[],
  ) => ({
    why,
    symbol,
    nameVariable,
    roleName: bicepString(roleName),
    description: bicepString(description),
    actions: actions.map(bicepString),
  });
  return renderTemplate('infra/bootstrap/pipeline-identity.bicep', {
    api,
    location: bicepString(plan.location),
    resourceGroupName: bicepString(pipelineResourceGroup(plan)),
    tags: bicepLiteral({ platform: plan.platform, purpose: 'pipeline-identity', managedBy: plan.generator.name }),
    operatorRoleName: operatorRoleGuid('resourceGroupName'),
    roleAssignmentCondition: bicepString(condition),
    pipelineIdentities: bicepLiteral(identities.map(identityValue)),
    fleet: identities.some((i) => i.kind === 'fleet'),
    subscriptionGrants: bicepLiteral(grants),
    customRoles: [
      customRole(
        `What-if with ProviderNoRbac validation checks read permissions only (${whatIf.source}).`,
        'whatIfRole',
        'whatIfRoleName',
        `${plan.platform} pipeline what-if`,
        'Preview and validate deployments; no write access.',
        whatIf.actions.filter((a) => a !== '*/read'),
      ),
      customRole(
        'Start, stop and upgrade a cluster, nothing else; assigned on each cluster by its environment deployment.',
        'operatorRole',
        'operatorRoleName',
        `${plan.platform} pipeline cluster operator`,
        'Start, stop and upgrade an AKS cluster and its node pools.',
        operatorActions(plan),
      ),
    ],
  });
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
  yield [BOOTSTRAP_MODULE, renderTemplate('infra/bootstrap/pipeline-identity-resources.bicep', { api })];
  yield ['infra/bootstrap/README.md', readme(plan, identities)];
}
