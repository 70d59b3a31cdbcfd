/** Small IPv4 helpers for validating configuration (the analyzer has its own, IPv4 and IPv6). */

export interface Ipv4Cidr {
    readonly text: string;
    readonly base: number; // network address as an unsigned 32-bit number
    readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted-quad IPv4 address, or returns undefined. */
export function parseIpv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
    return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Parses `a.b.c.d/n` with the host bits zero, or returns undefined. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
    if (!match) return undefined;
    const addr = parseIpv4(match[1]);
    const prefix = Number(match[2]);
    if (addr === undefined || prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    if (addr % size !== 0) return undefined; // host bits set: Azure and Kubernetes reject it
    return { text, base: addr, prefix };
}

export function cidrSize(c: Ipv4Cidr): number {
    return 2 ** (32 - c.prefix);
}

export function cidrContainsAddress(c: Ipv4Cidr, addr: number): boolean {
    return addr >= c.base && addr < c.base + cidrSize(c);
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
    return inner.prefix >= outer.prefix && cidrContainsAddress(outer, inner.base);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    return cidrContains(a, b) || cidrContains(b, a);
}
