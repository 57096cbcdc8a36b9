import { WEEKDAYS } from './schema.js';
import { offsetMinutes, zoneOffsets } from '../util/time-zone.js';

// AKS upgrades and patches a cluster only while it runs, so a maintenance window must lie inside the hours a
// stop/start environment runs. Weekly arithmetic on minutes of the UTC week, at every UTC offset of the zone.

export type Weekday = (typeof WEEKDAYS)[number];

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
