import ipaddr from 'ipaddr.js';

// IPv4 ranges as [first, last] integers: parsing is ipaddr.js's, the interval arithmetic is ours.

export interface Range {
  cidr: string;
  first: number;
  last: number;
  prefix: number;
}

function toInt(address: string): number {
  return ipaddr.IPv4.parse(address)
    .toByteArray()
    .reduce((acc, byte) => acc * 256 + byte, 0);
}

function fromInt(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function isIpv4(address: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(address);
}

/** Parses a CIDR; returns a reason instead when it is malformed or has host bits set. */
export function parseCidr(cidr: string): Range | { error: string; fix: string } {
  let parsed: [ipaddr.IPv4, number];
  try {
    parsed = ipaddr.IPv4.parseCIDR(cidr);
  } catch {
    return { error: 'is not an IPv4 CIDR', fix: 'write it as address/prefix, e.g. 10.1.0.0/16' };
  }
  const [address, prefix] = parsed;
  if (!isIpv4(address.toString()) || !/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(cidr)) {
    return { error: 'is not an IPv4 CIDR', fix: 'write it as address/prefix, e.g. 10.1.0.0/16' };
  }
  const size = 2 ** (32 - prefix);
  const first = toInt(address.toString());
  const network = first - (first % size);
  if (network !== first) {
    return { error: 'has host bits set', fix: `use the network address ${fromInt(network)}/${prefix}` };
  }
  return { cidr, first, last: first + size - 1, prefix };
}

export function overlaps(a: Range, b: Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function contains(outer: Range, inner: Range): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

export function containsAddress(range: Range, address: string): boolean {
  const value = toInt(address);
  return range.first <= value && value <= range.last;
}

/**
 * Carves subnets of the given prefixes out of a range, in order, each aligned to its own size and clear of the
 * ranges already taken. Returns undefined for a request that does not fit.
 */
export function allocate(space: Range, prefixes: number[], taken: Range[]): (Range | undefined)[] {
  const used = [...taken];
  return prefixes.map((prefix) => {
    const size = 2 ** (32 - prefix);
    for (let first = space.first; first + size - 1 <= space.last; first += size) {
      const candidate: Range = { cidr: `${fromInt(first)}/${prefix}`, first, last: first + size - 1, prefix };
      if (!used.some((range) => overlaps(range, candidate))) {
        used.push(candidate);
        return candidate;
      }
    }
    return undefined;
  });
}

/** The n-th address of a range (0 is the network address). */
export function nthAddress(range: Range, n: number): string {
  return fromInt(range.first + n);
}
