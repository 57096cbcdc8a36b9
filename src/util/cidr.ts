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

// One definition of a dotted-quad address for the schema (and so the published JSON Schema) and the code: four
// decimal octets of at most 255, without leading zeros, which inet_aton and ipaddr.js would read as octal
// (`010.1.0.0` is 8.1.0.0).
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ADDRESS = `${OCTET}(\\.${OCTET}){3}`;
export const IPV4_PATTERN = `^${ADDRESS}$`;
export const CIDR_PATTERN = `^${ADDRESS}/(3[0-2]|[12]?\\d)$`;
const CIDR = new RegExp(CIDR_PATTERN);

/** Parses a CIDR; returns a reason instead when it is malformed or has host bits set. */
export function parseCidr(cidr: string): Range | { error: string; fix: string } {
  if (!CIDR.test(cidr))
    return {
      error: 'is not an IPv4 CIDR (four decimal octets 0-255 without leading zeros, then /0-32)',
      fix: 'write it as address/prefix, e.g. 10.1.0.0/16',
    };
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
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

/**
 * Where a Kubernetes service range may come from: private address space. Loopback and link-local addresses never
 * leave a host, and a public range would hide the real internet addresses it covers from every pod.
 * Sources: RFC 1918 (private), RFC 6598 (shared address space, which Azure VNets accept), RFC 6890 (special-purpose).
 */
const SERVICE_SPACES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];
const NAMED_SPACES: [string, string][] = [
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['0.0.0.0/8', '"this network"'],
  ['224.0.0.0/3', 'multicast and reserved'],
];

/** Why a range cannot hold cluster-internal addresses (services), or undefined when it is private space. */
export function nonPrivateReason(range: Range): string | undefined {
  const spaces = SERVICE_SPACES.map((cidr) => parseCidr(cidr) as Range);
  if (spaces.some((space) => contains(space, range))) return undefined;
  const named = NAMED_SPACES.find(([cidr]) => overlaps(parseCidr(cidr) as Range, range));
  return named
    ? `is in ${named[1]} address space`
    : 'is public address space (outside 10/8, 172.16/12, 192.168/16, 100.64/10)';
}
