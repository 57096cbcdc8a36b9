import { WEEKDAYS } from '../answers/schema.js';

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

// The runtime's Intl knows every IANA zone and its offsets; the rest is arithmetic on whole minutes.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset (minutes east) at an instant: the wall-clock time there, read as UTC, minus the instant. */
function offsetAt(timeZone: string, instant: number): number {
  const parts = formatter(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return (
    (Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second')) -
      instant) /
    60_000
  );
}

/** Minutes east of UTC of a fixed offset such as +01:00 or -03:30. */
function offsetMinutes(utcOffset: string): number {
  const match = /^([+-])(\d\d):(\d\d)$/.exec(utcOffset);
  if (!match) throw new Error(`schedule: not a UTC offset: ${utcOffset}`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
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

/** The distinct UTC offsets (minutes) of a zone over a year, winter first. One entry for zones without DST. */
export function zoneOffsets(timeZone: string): number[] {
  if (!isValidTimeZone(timeZone)) throw new Error(`schedule: unknown IANA time zone ${timeZone}`);
  const offsets = REFERENCE_DATES.map((date) => {
    // Local noon: UTC noon less the offset there, which is hours away from any change in mid-January or mid-July.
    const noon = Date.parse(`${date}T12:00:00Z`);
    return offsetAt(timeZone, noon - offsetAt(timeZone, noon) * 60_000);
  });
  return [...new Set(offsets)];
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

const WEEK_MINUTES = 7 * 24 * 60;

/** Minute of the UTC week (Monday 00:00 is 0) of a local day and time at a fixed offset. */
function weekMinute(day: Weekday, time: string, offset: number): number {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const local = WEEKDAYS.indexOf(day) * 1440 + hour * 60 + minute;
  return (((local - offset) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
}

/** Marks [start, start + length) on a week of minutes, wrapping from Sunday into Monday. */
function mark(week: boolean[], start: number, length: number): void {
  for (let i = 0; i < length; i++) week[(start + i) % WEEK_MINUTES] = true;
}

export interface RunningSchedule {
  days: readonly Weekday[];
  startTime: string;
  stopTime: string;
  timeZone: string;
}

export interface FixedWindow {
  dayOfWeek: Weekday;
  startTime: string;
  durationHours: number;
  utcOffset: string;
}

/**
 * Whether a weekly window lies wholly inside the hours a stop/start schedule keeps a cluster running, at every UTC
 * offset of the schedule's zone. AKS upgrades and patches only a running cluster, so a maintenance window outside
 * those hours never does anything.
 */
export function windowInsideRunningHours(window: FixedWindow, schedule: RunningSchedule): boolean {
  const windowStart = weekMinute(window.dayOfWeek, window.startTime, offsetMinutes(window.utcOffset));
  const [startHour, startMinute] = schedule.startTime.split(':').map(Number) as [number, number];
  const [stopHour, stopMinute] = schedule.stopTime.split(':').map(Number) as [number, number];
  const start = startHour * 60 + startMinute;
  const stop = stopHour * 60 + stopMinute;
  // Started on a listed day and stopped at the stop time, the next day when the stop time is earlier.
  const length = stop > start ? stop - start : 1440 - start + stop;
  return zoneOffsets(schedule.timeZone).every((offset) => {
    const running = new Array<boolean>(WEEK_MINUTES).fill(false);
    for (const day of schedule.days) mark(running, weekMinute(day, schedule.startTime, offset), length);
    for (let i = 0; i < window.durationHours * 60; i++) if (!running[(windowStart + i) % WEEK_MINUTES]) return false;
    return true;
  });
}

/** The first whole-hour window (Monday first, at the given offset) of that length inside every schedule's hours. */
export function suggestWindow(
  durationHours: number,
  utcOffset: string,
  schedules: RunningSchedule[],
): FixedWindow | undefined {
  for (const day of WEEKDAYS)
    for (let hour = 0; hour < 24; hour++) {
      const window: FixedWindow = {
        dayOfWeek: day,
        startTime: `${String(hour).padStart(2, '0')}:00`,
        durationHours,
        utcOffset,
      };
      if (schedules.every((s) => windowInsideRunningHours(window, s))) return window;
    }
  return undefined;
}
