// IANA time zones and fixed UTC offsets as whole minutes east of UTC; the runtime's Intl knows every zone.

/** Reference dates in mid-winter and mid-summer; any fixed pair works as long as it straddles both DST transitions. */
const REFERENCE_DATES = ['2025-01-13', '2025-07-14'] as const;

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
export function offsetMinutes(utcOffset: string): number {
  const match = /^([+-])(\d\d):(\d\d)$/.exec(utcOffset);
  if (!match) throw new Error(`schedule: not a UTC offset: ${utcOffset}`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
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
