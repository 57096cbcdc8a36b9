import { WEEKDAYS } from '../answers/schema.js';
import { offsetMinutes, zoneOffsets } from '../util/time-zone.js';

export { zoneOffsets } from '../util/time-zone.js';

// Schedulers in GitHub Actions and Azure Pipelines read cron in UTC, while people give local times in a time zone.
// A zone with daylight saving has two UTC offsets a year, so one local time becomes two UTC crons: one per offset.

export type Weekday = (typeof WEEKDAYS)[number];

/** Cron day-of-week numbers: Sunday is 0. */
const CRON_DAY: Record<Weekday, number> = {
  Sunday: 0,
  Monday: 1,
  Tuesday: 2,
  Wednesday: 3,
  Thursday: 4,
  Friday: 5,
  Saturday: 6,
};

export interface UtcCron {
  /** Five-field cron in UTC, e.g. `0 5 * * 1,2,3,4,5`. */
  cron: string;
  /** The zone's UTC offset this cron is right for, as `date +%z` prints it (`+0200`). */
  offset: string;
  /** Offset in minutes east of UTC. */
  offsetMinutes: number;
}

/** A local time (HH:MM) on a weekday at a fixed UTC offset, in UTC: minute, hour and cron day. */
function toUtc(day: Weekday, time: string, offset: number): { minute: number; hour: number; day: number } {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  // 2025-01-06 is a Monday, so the weekday index lands on the named day; the offset is fixed, so no date is in DST.
  const utc = new Date(
    Date.UTC(2025, 0, 5 + (CRON_DAY[day] === 0 ? 7 : CRON_DAY[day]), hour, minute) - offset * 60_000,
  );
  return { minute: utc.getUTCMinutes(), hour: utc.getUTCHours(), day: utc.getUTCDay() };
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Converts `time` (HH:MM) on `days` in `timeZone` to UTC crons, one per UTC offset of the zone. A local time near
 * midnight can fall on another UTC day, so each day is converted on its own and days with the same UTC time merge.
 */
export function localTimeToUtcCrons(days: readonly Weekday[], time: string, timeZone: string): UtcCron[] {
  return zoneOffsets(timeZone).map((offsetMinutes) => {
    const byTime = new Map<string, Set<number>>();
    for (const day of days) {
      // Convert with the fixed offset rather than the zone, so the result does not depend on which date the zone
      // happens to be in DST.
      const utc = toUtc(day, time, offsetMinutes);
      const key = `${utc.minute} ${utc.hour}`;
      const set = byTime.get(key) ?? new Set<number>();
      set.add(utc.day);
      byTime.set(key, set);
    }
    if (byTime.size !== 1) {
      // Only possible when days differ in UTC hour, which a fixed offset never causes; guard the assumption.
      throw new Error(`schedule: ${time} ${timeZone} does not map to one UTC time`);
    }
    const [[key, daySet]] = [...byTime.entries()] as [[string, Set<number>]];
    const cronDays = [...daySet].sort((a, b) => a - b).join(',');
    return { cron: `${key} * * ${cronDays}`, offset: formatOffset(offsetMinutes), offsetMinutes };
  });
}

/** Converts a maintenance-window start given with a fixed UTC offset (`+01:00`) to one UTC cron on one day. */
export function fixedOffsetTimeToUtcCron(day: Weekday, time: string, utcOffset: string): string {
  const utc = toUtc(day, time, offsetMinutes(utcOffset));
  return `${utc.minute} ${utc.hour} * * ${utc.day}`;
}

/** Parses a five-field cron of the form this module emits (`M H * * d,d`). */
export function parseSimpleCron(cron: string): { minute: number; hour: number; days: number[] } {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6](?:,[0-6])*)$/.exec(cron);
  if (!match) throw new Error(`schedule: not a simple weekly cron: ${cron}`);
  return { minute: Number(match[1]), hour: Number(match[2]), days: match[3]!.split(',').map(Number) };
}

export function cronDayName(day: number): Weekday {
  const name = (Object.keys(CRON_DAY) as Weekday[]).find((d) => CRON_DAY[d] === day);
  if (!name) throw new Error(`schedule: no weekday ${day}`);
  return name;
}
