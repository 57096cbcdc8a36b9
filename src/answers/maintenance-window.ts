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
  return zoneOffsets(schedule.timeZone).every((offset) => {
    const running = runningWeek(schedule, offset);
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

/** Minutes of the UTC week in which a stop/start schedule keeps the cluster running, at one UTC offset of its zone. */
export function runningWeek(schedule: RunningSchedule, offset: number): boolean[] {
  const [startHour, startMinute] = schedule.startTime.split(':').map(Number) as [number, number];
  const [stopHour, stopMinute] = schedule.stopTime.split(':').map(Number) as [number, number];
  const start = startHour * 60 + startMinute;
  const stop = stopHour * 60 + stopMinute;
  // Started on a listed day and stopped at the stop time, the next day when the stop time is earlier.
  const length = stop > start ? stop - start : 1440 - start + stop;
  const running = new Array<boolean>(WEEK_MINUTES).fill(false);
  for (const day of schedule.days) mark(running, weekMinute(day, schedule.startTime, offset), length);
  return running;
}

/**
 * A daily window on some days of the week in an IANA zone: Kured's reboot window. Kured reboots at a local time on a
 * listed day from the start time to the end time of that same day; an end at or before the start never opens.
 * https://github.com/kubereboot/kured/blob/main/pkg/timewindow/timewindow.go
 */
export interface DailyWindow {
  days: readonly Weekday[];
  startTime: string;
  endTime: string;
  timeZone: string;
}

function minuteOfDay(time: string): number {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return hour * 60 + minute;
}

/** Whether the window opens at all: Kured's window never crosses midnight. */
export function dailyWindowOpens(window: Pick<DailyWindow, 'startTime' | 'endTime'>): boolean {
  return minuteOfDay(window.endTime) > minuteOfDay(window.startTime);
}

/** Whether, at one UTC offset of the window's zone, the window lies wholly inside running minutes on one of its days. */
export function dailyWindowInside(
  window: Omit<DailyWindow, 'timeZone'>,
  offset: number,
  running: readonly boolean[],
): boolean {
  const length = minuteOfDay(window.endTime) - minuteOfDay(window.startTime);
  if (length <= 0) return false;
  return window.days.some((day) => {
    const start = weekMinute(day, window.startTime, offset);
    for (let i = 0; i < length; i++) if (!running[(start + i) % WEEK_MINUTES]) return false;
    return true;
  });
}

/**
 * The pairs of UTC offsets (window zone, schedule zone) that occur together. One zone moves both clocks at once; two
 * zones are taken at every combination, which is safe on the weeks their daylight-saving changes fall apart.
 */
export function offsetPairs(windowZone: string, scheduleZone: string): [number, number][] {
  const windowOffsets = zoneOffsets(windowZone);
  if (windowZone === scheduleZone) return windowOffsets.map((o) => [o, o]);
  return windowOffsets.flatMap((w) => zoneOffsets(scheduleZone).map((s): [number, number] => [w, s]));
}

/**
 * Whether Kured gets at least one whole reboot window a week while a stop/start environment runs, at every UTC
 * offset: a node reboots only inside the window and only while the cluster runs, so without one the OS patches that
 * need a reboot never take effect there. Windows on days the cluster is stopped are simply unused.
 */
export function dailyWindowMeetsRunningHours(window: DailyWindow, schedule: RunningSchedule): boolean {
  return offsetPairs(window.timeZone, schedule.timeZone).every(([w, s]) =>
    dailyWindowInside(window, w, runningWeek(schedule, s)),
  );
}

/** The first whole-hour window of the same length and days (earliest start first) that meets every schedule. */
export function suggestDailyWindow(
  window: DailyWindow,
  schedules: RunningSchedule[],
): Pick<DailyWindow, 'startTime' | 'endTime'> | undefined {
  const length = Math.max(minuteOfDay(window.endTime) - minuteOfDay(window.startTime), 60);
  for (let start = 0; start + length < 1440; start += 60) {
    const time = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const candidate = { ...window, startTime: time(start), endTime: time(start + length) };
    if (schedules.every((s) => dailyWindowMeetsRunningHours(candidate, s))) return candidate;
  }
  return undefined;
}

/**
 * Minutes of the UTC week in which a cluster runs, from the minutes of the UTC week at which it is started and
 * stopped (a stop/start pipeline's crons): running from each start to the next stop, around the end of the week.
 */
export function runningFromEvents(events: readonly { minute: number; start: boolean }[]): boolean[] {
  const sorted = [...events].sort((a, b) => a.minute - b.minute);
  // Before the first event of the week the cluster is as the last event of the week left it.
  let running = sorted.at(-1)?.start ?? true;
  const week = new Array<boolean>(WEEK_MINUTES).fill(running);
  let next = 0;
  for (let minute = 0; minute < WEEK_MINUTES; minute++) {
    while (next < sorted.length && sorted[next]!.minute === minute) running = sorted[next++]!.start;
    week[minute] = running;
  }
  return week;
}
