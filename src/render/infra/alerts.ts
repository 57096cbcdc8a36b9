import {
  ALERT_RULES,
  RECORDING_RULE_GROUPS,
  UPGRADE_NOTIFICATIONS,
  upgradeNotificationKinds,
} from '../../plan/alerts.js';
import { bicepLiteral } from './bicep.js';
import { when, type InfraConcern, type Params } from './concern.js';
import { renderModule } from './module-file.js';

// Alerting: the action group, managed Prometheus's recording rules and platform alerts, and the AKS events topic.

export const alertsConcern: InfraConcern = {
  params: (plan) =>
    when(plan.components.actionGroup, [
      {
        name: 'alertEmails',
        description: 'Addresses the action group emails when a platform alert fires.',
        decorators: ['@minLength(1)'],
        type: 'string[]',
        value: () => plan.observability.alertEmails,
      },
    ]),
  modules: [
    {
      symbol: 'alerts',
      file: 'alerts',
      why: (plan) =>
        [
          plan.components.actionGroup ? 'The action group' : undefined,
          plan.components.managedPrometheus
            ? 'the recording rules and platform alerts of managed Prometheus'
            : undefined,
          'the Event Grid topic of the AKS events',
        ]
          .filter((part): part is string => part !== undefined)
          .join(', ')
          .replace(/^./, (first) => first.toUpperCase())
          .concat('.'),
      params: (plan) => [
        ['location', 'location'],
        ['clusterName', 'cluster.outputs.clusterName'],
        ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
        ...when<Params[number]>(plan.components.managedPrometheus, [
          ['monitorWorkspaceId', 'prometheus.outputs.monitorWorkspaceId'],
        ]),
        ...when<Params[number]>(plan.components.actionGroup, [
          ['actionGroupName', 'names.actionGroup'],
          // At most 12 characters; it names the environment in SMS and email subjects.
          ['actionGroupShortName', "take('aks-${environmentName}', 12)"],
          ['alertEmails', 'alertEmails'],
        ]),
        ['tags', 'resourceTags'],
      ],
    },
  ],
  files: {
    alerts: (plan) => {
      const kinds = plan.components.actionGroup ? upgradeNotificationKinds(plan) : [];
      return renderModule('alerts', {
        prometheus: plan.components.managedPrometheus,
        actionGroup: plan.components.actionGroup,
        recordingRuleGroups: bicepLiteral(
          RECORDING_RULE_GROUPS.map((group) => ({
            prefix: group.prefix,
            description: group.description,
            rules: group.rules.map((rule) => ({ ...rule })),
          })),
        ),
        recordingSource: RECORDING_RULE_GROUPS[0]?.source,
        alertRules: bicepLiteral(
          ALERT_RULES.map((rule) => ({
            alert: rule.alert,
            expression: rule.expression,
            for: rule.for,
            severity: rule.severity,
            description: rule.description,
          })),
        ),
        alertSource: ALERT_RULES[0]?.source,
        upgradeKinds: kinds,
        upgradeKindsLiteral: bicepLiteral(kinds),
        upgradeQuery: UPGRADE_NOTIFICATIONS.query,
        upgradeSource: UPGRADE_NOTIFICATIONS.source,
        frequency: UPGRADE_NOTIFICATIONS.frequency,
        window: UPGRADE_NOTIFICATIONS.window,
      });
    },
  },
};
