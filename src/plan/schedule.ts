import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS } from '../answers/schema.js';

// Schedulers in GitHub Actions and Azure Pipelines read cron in UTC, while people give local times in a time zone.
// A zone with daylight saving has two UTC offsets a year, so one local time becomes two UTC crons: one per offset.

export type Weekday = (typeof WEEKDAYS)[number];

/** Cron day-of-week numbers: Sunday is 0. */
const CRON_DAY: Record<Weekday, number> = { Sunday: 0, Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5, Saturday: 6 };

/** Reference dates in mid-winter and mid-summer; any fixed pair works as long as it straddles both DST transitions. */
const REFERENCE_DATES = ['2025-01-13', '2025-07-14'] as const;

export interface UtcCron {
  /** Five-field cron in UTC, e.g. `0 5 * * 1,2,3,4,5`. */
  cron: string;
  /** The zone's UTC offset this cron is right for, as `date +%z` prints it (`+0200`). */
  offset: string;
  /** Offset in minutes east of UTC. */
  offsetMinutes: number;
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The distinct UTC offsets (minutes) of a zone over a year, winter first. One entry for zones without DST. */
export function zoneOffsets(timeZone: string): number[] {
  if (!isValidTimeZone(timeZone)) throw new Error(`schedule: unknown IANA time zone ${timeZone}`);
  const offsets = REFERENCE_DATES.map((date) => DateTime.fromISO(`${date}T12:00`, { zone: timeZone }).offset);
  return [...new Set(offsets)];
}

/**
 * Converts `time` (HH:MM) on `days` in `timeZone` to UTC crons, one per UTC offset of the zone. A local time near
 * midnight can fall on another UTC day, so each day is converted on its own and days with the same UTC time merge.
 */
export function localTimeToUtcCrons(days: readonly Weekday[], time: string, timeZone: string): UtcCron[] {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return zoneOffsets(timeZone).map((offsetMinutes) => {
    const byTime = new Map<string, Set<number>>();
    for (const day of days) {
      // Build the instant from the fixed offset rather than the zone, so the result does not depend on which date
      // the zone happens to be in DST; 2025-01-06 is a Monday, so the weekday index lands on the named day.
      const local = DateTime.fromObject(
        { year: 2025, month: 1, day: 5 + (CRON_DAY[day] === 0 ? 7 : CRON_DAY[day]), hour, minute },
        { zone: `UTC${formatOffset(offsetMinutes).replace(/(\d\d)(\d\d)$/, '$1:$2')}` },
      );
      const utc = local.toUTC();
      const key = `${utc.minute} ${utc.hour}`;
      const set = byTime.get(key) ?? new Set<number>();
      set.add(utc.weekday % 7);
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
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const local = DateTime.fromObject({ year: 2025, month: 1, day: 5 + (CRON_DAY[day] === 0 ? 7 : CRON_DAY[day]), hour, minute }, { zone: `UTC${utcOffset}` });
  const utc = local.toUTC();
  return `${utc.minute} ${utc.hour} * * ${utc.weekday % 7}`;
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
