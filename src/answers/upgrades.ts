import type { Answers } from './schema.js';

// Which upgrade mechanisms run, decided once from the answers: the plan exposes these decisions, the answer checks
// use the same ones, and renderers read the plan.

/**
 * The channels the AKS clusters carry. With a fleet, Fleet Manager's auto-upgrade profiles roll out minor versions
 * (stable/rapid) and node images (NodeImage) environment by environment; the clusters' own channels for those stay
 * off, or both would upgrade the production cluster in the same window as dev. Patch releases and
 * SecurityPatch/Unmanaged node OS updates have no fleet channel and stay with AKS.
 */
export function clusterUpgradeChannels(answers: Answers): { upgradeChannel: string; nodeOsUpgradeChannel: string } {
  const { autoUpgradeChannel, nodeOsUpgradeChannel } = answers.upgrades;
  if (!answers.fleet.enabled) return { upgradeChannel: autoUpgradeChannel, nodeOsUpgradeChannel };
  return {
    upgradeChannel: ['stable', 'rapid', 'node-image'].includes(autoUpgradeChannel) ? 'none' : autoUpgradeChannel,
    nodeOsUpgradeChannel: nodeOsUpgradeChannel === 'NodeImage' ? 'None' : nodeOsUpgradeChannel,
  };
}

/** Kubernetes auto-upgrades run in the weekly maintenance window: the clusters carry an auto-upgrade channel. */
export function autoUpgradeInWindow(answers: Answers): boolean {
  return clusterUpgradeChannels(answers).upgradeChannel !== 'none';
}

/** Node OS updates run in the weekly maintenance window: the clusters carry the NodeImage or SecurityPatch channel. */
export function nodeOsUpgradeInWindow(answers: Answers): boolean {
  return ['NodeImage', 'SecurityPatch'].includes(clusterUpgradeChannels(answers).nodeOsUpgradeChannel);
}

/** AKS uses the weekly maintenance window for something: auto-upgrades or node OS updates. */
export function maintenanceWindowUsed(answers: Answers): boolean {
  return autoUpgradeInWindow(answers) || nodeOsUpgradeInWindow(answers);
}

/** Kured runs on the AKS clusters: asked for, or by default when nothing else reboots nodes (Unmanaged channel). */
export function kuredDeployed(answers: Answers): boolean {
  return answers.upgrades.kured.enabled ?? answers.upgrades.nodeOsUpgradeChannel === 'Unmanaged';
}
