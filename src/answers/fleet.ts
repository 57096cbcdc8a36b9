// Fleet Manager defaults the answers and the plan share: validation checks the stages the plan will use.

/** Default stages: one per environment, non-production first (in answer order), an hour's soak between stages. */
export function defaultFleetStages(
  environments: readonly { name: string; production: boolean }[],
): { name: string; environments: string[]; afterStageWaitInSeconds: number }[] {
  const ordered = [...environments.filter((e) => !e.production), ...environments.filter((e) => e.production)];
  return ordered.map((env, i) => ({
    name: env.name,
    environments: [env.name],
    afterStageWaitInSeconds: i === ordered.length - 1 ? 0 : 3600,
  }));
}
