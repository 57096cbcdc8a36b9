import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { JsonObject } from '../src/answers/merge.js';
import type { Plan } from '../src/plan/index.js';
import {
  cronDayName,
  fixedOffsetTimeToUtcCron,
  localTimeToUtcCrons,
  parseSimpleCron,
  zoneOffsets,
} from '../src/plan/schedule.js';
import { decideEntries, generate, readWorkflow } from './support/workflows.js';

// Stop/start schedules: local times in a time zone become UTC crons; these tests convert back with luxon, on real
// dates on both sides of a daylight-saving change, and check that only opted-in environments are scheduled.

const ENVIRONMENTS: JsonObject[] = [
  // Daylight saving in Europe (last Sunday of March / October), working days, a late stop.
  {
    name: 'dev',
    addressSpace: '10.1.0.0/16',
    stopStart: { enabled: true, startTime: '07:00', stopTime: '19:30', timeZone: 'Europe/Amsterdam' },
  },
  // US daylight saving on other dates; a stop at 21:15 in New York is 01:15 or 02:15 UTC the next day.
  {
    name: 'test',
    addressSpace: '10.2.0.0/16',
    stopStart: {
      enabled: true,
      days: ['Monday', 'Wednesday', 'Friday'],
      startTime: '06:45',
      stopTime: '21:15',
      timeZone: 'America/New_York',
    },
  },
  // No daylight saving and a half-hour offset; a start before 05:30 falls on the previous UTC day.
  {
    name: 'perf',
    addressSpace: '10.3.0.0/16',
    stopStart: {
      enabled: true,
      days: ['Sunday', 'Saturday'],
      startTime: '05:00',
      stopTime: '23:00',
      timeZone: 'Asia/Kolkata',
    },
  },
  { name: 'uat', addressSpace: '10.4.0.0/16' },
  { name: 'prod', production: true, addressSpace: '10.5.0.0/16' },
];

function scenario(): { plan: Plan; files: Map<string, string> } {
  return generate(undefined, [], {
    delivery: { github: { owner: 'contoso' }, azureDevOps: true },
    environments: ENVIRONMENTS,
    // No single weekly maintenance window lies inside both the weekday and the weekend schedules below, and the
    // answers refuse one outside them; these schedules are about cron conversion, so AKS's window is not used.
    upgrades: { autoUpgradeChannel: 'none', nodeOsUpgradeChannel: 'None' },
  });
}

/** Dates around each zone's spring DST change in 2026, and a winter and summer reference. */
const DATES: Record<string, string[]> = {
  'Europe/Amsterdam': ['2026-03-27', '2026-03-30', '2026-10-23', '2026-10-26', '2026-01-14', '2026-07-15'],
  'America/New_York': ['2026-03-06', '2026-03-09', '2026-10-30', '2026-11-02', '2026-01-14', '2026-07-15'],
  'Asia/Kolkata': ['2026-03-28', '2026-03-29', '2026-07-18'],
};

function entriesFor(files: Map<string, string>, env: string): { cron: string; offset: string; action: string }[] {
  const workflow = readWorkflow(files.get('.github/workflows/stop-start.yml')!);
  const job = workflow.jobs[`stop-start-${env}`];
  if (!job) return [];
  return decideEntries(job.steps.map((s) => s.run ?? '').join('\n'));
}

function offsetString(dt: DateTime): string {
  return dt.toFormat('ZZZ');
}

describe('local time -> UTC cron -> local time', () => {
  const { plan, files } = scenario();

  for (const env of plan.environments.filter((e) => e.stopStart)) {
    it(`${env.name}: every configured start and stop fires at the configured local time, across daylight saving`, () => {
      const s = env.stopStart!;
      const entries = entriesFor(files, env.name);
      const scheduled = new Set(
        readWorkflow(files.get('.github/workflows/stop-start.yml')!).on.schedule!.map((c) => c.cron),
      );
      for (const e of entries) expect(scheduled.has(e.cron), e.cron).toBe(true);
      for (const date of DATES[s.timeZone]!) {
        for (const action of ['start', 'stop'] as const) {
          const time = action === 'start' ? s.startTime : s.stopTime;
          const local = DateTime.fromISO(`${date}T${time}`, { zone: s.timeZone });
          const configuredDay = s.days.includes(local.toFormat('cccc'));
          const utc = local.toUTC();
          // The crons that fire at this instant and pass the decide step's offset check on this date.
          const acting = entries.filter((e) => {
            const c = parseSimpleCron(e.cron);
            return (
              e.offset === offsetString(local) &&
              c.hour === utc.hour &&
              c.minute === utc.minute &&
              c.days.includes(utc.weekday % 7)
            );
          });
          expect(
            acting.map((e) => e.action),
            `${env.name} ${action} ${date} ${time} ${s.timeZone}`,
          ).toEqual(configuredDay ? [action] : []);
        }
      }
      // And back: every cron, at every instant it fires, acts only at the configured local time on a configured day.
      for (const e of entries) {
        const c = parseSimpleCron(e.cron);
        for (const date of DATES[s.timeZone]!) {
          for (let shift = -1; shift <= 1; shift++) {
            const utc = DateTime.fromISO(`${date}T00:00`, { zone: 'utc' })
              .plus({ days: shift })
              .set({ hour: c.hour, minute: c.minute });
            if (!c.days.includes(utc.weekday % 7)) continue;
            const local = utc.setZone(s.timeZone);
            if (offsetString(local) !== e.offset) continue; // the decide step skips this cron today
            expect(local.toFormat('HH:mm'), `${e.cron} on ${utc.toISO()}`).toBe(
              e.action === 'start' ? s.startTime : s.stopTime,
            );
            expect(s.days, `${e.cron} on ${utc.toISO()}`).toContain(local.toFormat('cccc'));
          }
        }
      }
    });
  }

  it('zones with daylight saving get one cron per offset, zones without get one', () => {
    expect(zoneOffsets('Europe/Amsterdam')).toEqual([60, 120]);
    expect(zoneOffsets('Asia/Kolkata')).toEqual([330]);
    expect(
      localTimeToUtcCrons(['Monday', 'Friday'], '07:00', 'Europe/Amsterdam').map((c) => [c.cron, c.offset]),
    ).toEqual([
      ['0 6 * * 1,5', '+0100'],
      ['0 5 * * 1,5', '+0200'],
    ]);
    // 05:00 on Sunday in India is 23:30 on Saturday in UTC.
    expect(localTimeToUtcCrons(['Sunday'], '05:00', 'Asia/Kolkata').map((c) => c.cron)).toEqual(['30 23 * * 6']);
    expect(cronDayName(6)).toBe('Saturday');
  });

  it('the maintenance window start converts with its fixed offset', () => {
    expect(fixedOffsetTimeToUtcCron('Sunday', '02:00', '+01:00')).toBe('0 1 * * 0');
    expect(fixedOffsetTimeToUtcCron('Monday', '00:30', '+02:00')).toBe('30 22 * * 0');
    expect(fixedOffsetTimeToUtcCron('Saturday', '23:00', '-03:30')).toBe('30 2 * * 0');
  });

  it('the check fails when a cron is off by an hour', () => {
    const wrong = localTimeToUtcCrons(['Monday'], '07:00', 'Europe/Amsterdam').map((c) => ({
      ...c,
      cron: c.cron.replace(/^0 (\d+)/, (_, h) => `0 ${Number(h) + 1}`),
    }));
    const local = DateTime.fromISO('2026-03-30T07:00', { zone: 'Europe/Amsterdam' }).toUTC();
    const acting = wrong.filter((c) => parseSimpleCron(c.cron).hour === local.hour);
    expect(acting).toEqual([]);
  });
});

describe('only opted-in environments are scheduled', () => {
  const { plan, files } = scenario();
  const optedIn = plan.environments.filter((e) => e.stopStart).map((e) => e.name);
  const others = plan.environments.filter((e) => !e.stopStart);

  it('GitHub: jobs, manual choices and decide entries cover exactly the opted-in environments', () => {
    const content = files.get('.github/workflows/stop-start.yml')!;
    const workflow = readWorkflow(content);
    expect(Object.keys(workflow.jobs)).toEqual(optedIn.map((e) => `stop-start-${e}`));
    const dispatch = workflow.on.workflow_dispatch as { inputs: { environment: { options: string[] } } };
    expect(dispatch.inputs.environment.options).toEqual(optedIn);
    for (const env of others) {
      expect(content).not.toContain(env.names.cluster.value);
      expect(content).not.toContain(env.names.resourceGroup.value);
    }
    // Every schedule entry is used by an opted-in environment.
    const used = new Set(optedIn.flatMap((e) => entriesFor(files, e).map((x) => x.cron)));
    for (const { cron } of workflow.on.schedule!) expect(used.has(cron), cron).toBe(true);
  });

  it('Azure DevOps: the same crons, always run, and no other environment', () => {
    const content = files.get('.azure-pipelines/stop-start.yml')!;
    const pipeline = parseYaml(content) as {
      schedules: { cron: string; displayName: string; always: boolean }[];
      jobs: { job: string }[];
    };
    const github = readWorkflow(files.get('.github/workflows/stop-start.yml')!).on.schedule!.map((c) => c.cron);
    expect(pipeline.schedules.map((s) => s.cron)).toEqual(github);
    for (const s of pipeline.schedules) expect(s).toMatchObject({ always: true, displayName: s.cron });
    expect(pipeline.jobs.map((j) => j.job)).toEqual(optedIn.map((e) => `stop_start_${e}`));
    for (const env of others) expect(content).not.toContain(env.names.cluster.value);
  });

  it('without any opted-in environment there is no stop/start pipeline at all', () => {
    const { files: none } = generate('enterprise', [
      'delivery.azureDevOps=true',
      'environments.0.stopStart.enabled=false',
    ]);
    expect(none.has('.github/workflows/stop-start.yml')).toBe(false);
    expect(none.has('.azure-pipelines/stop-start.yml')).toBe(false);
  });

  it('the idempotency check reads the power state before acting', () => {
    const content = files.get('.github/workflows/stop-start.yml')!;
    const script = readWorkflow(content)
      .jobs['stop-start-dev']!.steps.map((s) => s.run ?? '')
      .join('\n');
    expect(script.indexOf('powerState.code')).toBeGreaterThan(-1);
    expect(script.indexOf('exit 0')).toBeGreaterThan(script.indexOf('powerState.code'));
    expect(script.indexOf('az aks "$ACTION"')).toBeGreaterThan(script.indexOf('exit 0'));
  });

  it('the schedule says that cron runs in UTC', () => {
    expect(files.get('.github/workflows/stop-start.yml')).toMatch(/# GitHub runs schedules in UTC/);
    expect(files.get('.azure-pipelines/stop-start.yml')).toMatch(/# Azure Pipelines runs schedules in UTC/);
  });
});
