// Answer scenarios the gitops tests render: every preset and the combinations whose manifests differ.

export const GROUP_A = '22222222-2222-2222-2222-222222222222';
export const GROUP_B = '33333333-3333-3333-3333-333333333333';
export const ADMIN_GROUP = '11111111-1111-1111-1111-111111111111';
export const OSS = [
  'observability.stack=oss',
  'observability.managedPrometheus=false',
  'observability.managedGrafana=false',
];
export const TWO_TEAMS = [
  'teams.0.name=team-a',
  `teams.0.entraGroupObjectId=${GROUP_A}`,
  'teams.0.keyVaultSecrets=[app-config,db-password]',
  'teams.1.name=payments',
  `teams.1.entraGroupObjectId=${GROUP_B}`,
];

export interface Scenario {
  name: string;
  preset?: string;
  sets?: string[];
}

/** Every preset, and combinations that reach every option of the components this area renders. */
export const SCENARIOS: Scenario[] = [
  { name: 'defaults' },
  { name: 'starter', preset: 'starter' },
  { name: 'enterprise', preset: 'enterprise' },
  { name: 'multicloud', preset: 'multicloud' },
  {
    name: 'kubernetes-rbac with groups and admins',
    preset: 'multicloud',
    sets: [...TWO_TEAMS, `identity.adminGroupObjectIds=[${ADMIN_GROUP}]`],
  },
  {
    name: 'azure-rbac with groups and admins',
    preset: 'enterprise',
    sets: [...TWO_TEAMS, `identity.adminGroupObjectIds=[${ADMIN_GROUP}]`],
  },
  {
    name: 'aad-pod-identity',
    sets: ['identity.podIdentity=aad-pod-identity', ...TWO_TEAMS, 'teams.0.syncAsKubernetesSecret=true'],
  },
  {
    name: 'aad-pod-identity on starter (spot, kured)',
    preset: 'starter',
    sets: ['identity.podIdentity=aad-pod-identity'],
  },
  { name: 'no pod identity', sets: ['identity.podIdentity=none', 'teams.0.keyVaultSecrets=[]'] },
  { name: 'no Key Vault CSI', sets: ['secrets.keyVaultCsi=false', 'teams.0.keyVaultSecrets=[]'] },
  {
    name: 'Unmanaged node OS',
    sets: [
      'upgrades.nodeOsUpgradeChannel=Unmanaged',
      // Inside the hours the stop/start dev runs (Monday to Friday 07:00-19:00 Europe/Amsterdam).
      'upgrades.kured.rebootDays=[Monday,Thursday]',
      'upgrades.kured.startTime=10:30',
      'upgrades.kured.endTime=14:00',
      'upgrades.kured.timeZone=Europe/Amsterdam',
    ],
  },
  {
    name: 'NodeImage with Kured asked for',
    sets: ['upgrades.nodeOsUpgradeChannel=NodeImage', 'upgrades.kured.enabled=true'],
  },
  {
    name: 'Unmanaged with Kured declined',
    sets: ['upgrades.nodeOsUpgradeChannel=Unmanaged', 'upgrades.kured.enabled=false'],
  },
  {
    name: 'oss with Elasticsearch',
    preset: 'multicloud',
    sets: ['observability.elasticsearchUrl=https://logs.example.com:9243', 'upgrades.nodeOsUpgradeChannel=Unmanaged'],
  },
  {
    name: 'oss without Event Hubs',
    sets: [
      ...OSS,
      'observability.eventHubsStreaming=false',
      'environments.0.spotPool.enabled=true',
      'teams.0.useSpot=true',
      'upgrades.kured.enabled=true',
    ],
  },
  { name: 'oss with aad-pod-identity', sets: [...OSS, 'identity.podIdentity=aad-pod-identity'] },
  {
    name: 'spot teams',
    sets: [
      'environments.0.spotPool.enabled=true',
      'environments.1.spotPool.enabled=true',
      ...TWO_TEAMS,
      'teams.1.useSpot=true',
      'teams.1.keyVaultSecrets=[token]',
      'teams.1.syncAsKubernetesSecret=true',
    ],
  },
  { name: 'network policy none', sets: ['network.dataplane=azure', 'network.networkPolicy=none'] },
  {
    name: 'no Entra ID',
    sets: ['identity.entraId=false', 'identity.authorization=kubernetes-rbac', 'identity.disableLocalAccounts=false'],
  },
  { name: 'no teams', sets: ['teams=[]'] },
];
