/** IPv4 / IPv6 addresses and CIDR blocks as BigInt ranges: the one CIDR module of the program and the pack. */

export interface Cidr {
    family: 4 | 6;
    /** First address of the block (host bits cleared). */
    start: bigint;
    /** Last address of the block. */
    end: bigint;
    prefix: number;
    text: string;
}

function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4) return undefined;
    let n = 0n;
    for (const p of parts) {
        if (!/^\d{1,3}$/.test(p)) return undefined;
        const v = Number(p);
        if (v > 255) return undefined;
        n = (n << 8n) | BigInt(v);
    }
    return n;
}

function parseIpv6(text: string): bigint | undefined {
    let s = text;
    // Embedded IPv4 tail (::ffff:1.2.3.4): rewrite it as two hex groups.
    const lastColon = s.lastIndexOf(":");
    if (s.includes(".")) {
        const v4 = parseIpv4(s.slice(lastColon + 1));
        if (v4 === undefined) return undefined;
        s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
    }
    const halves = s.split("::");
    if (halves.length > 2) return undefined;
    const parseGroups = (h: string): number[] | undefined => {
        if (h === "") return [];
        const out: number[] = [];
        for (const g of h.split(":")) {
            if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
            out.push(parseInt(g, 16));
        }
        return out;
    };
    const head = parseGroups(halves[0]);
    const rest = halves.length === 2 ? parseGroups(halves[1]) : [];
    if (!head || !rest) return undefined;
    const total = head.length + rest.length;
    let groups: number[];
    if (halves.length === 2) {
        if (total > 7) return undefined;
        groups = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
    } else {
        if (total !== 8) return undefined;
        groups = head;
    }
    let n = 0n;
    for (const g of groups) n = (n << 16n) | BigInt(g);
    return n;
}

/** Parses an IP address; undefined when it is not one. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
    if (typeof text !== "string" || text.length === 0) return undefined;
    if (text.includes(":")) {
        const v = parseIpv6(text);
        return v === undefined ? undefined : { family: 6, value: v };
    }
    const v = parseIpv4(text);
    return v === undefined ? undefined : { family: 4, value: v };
}

/** Parses "a.b.c.d/n" or "x::y/n"; a bare address is taken as a host block when `allowBare`. */
export function parseCidr(text: string, allowBare = false): Cidr | undefined {
    if (typeof text !== "string") return undefined;
    const slash = text.indexOf("/");
    if (slash < 0 && !allowBare) return undefined;
    const addr = slash < 0 ? text : text.slice(0, slash);
    const ip = parseIp(addr);
    if (!ip) return undefined;
    const bits = ip.family === 4 ? 32 : 128;
    let prefix = bits;
    if (slash >= 0) {
        const p = text.slice(slash + 1);
        if (!/^\d{1,3}$/.test(p)) return undefined;
        prefix = Number(p);
        if (prefix > bits) return undefined;
    }
    const hostBits = BigInt(bits - prefix);
    const mask = (1n << hostBits) - 1n;
    const start = ip.value & ~mask & ((1n << BigInt(bits)) - 1n);
    return { family: ip.family, start, end: start | mask, prefix, text };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
    return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** The outcome of testing a range (an endpoint's address block) against a block minus exceptions. */
export type CidrMatch = "all" | "partial" | "none";

export function matchBlock(block: Cidr, except: readonly Cidr[], target: Cidr): CidrMatch {
    if (!cidrOverlaps(block, target)) return "none";
    if (!cidrContains(block, target)) return "partial";
    for (const e of except) {
        if (cidrContains(e, target)) return "none";
        if (cidrOverlaps(e, target)) return "partial";
    }
    return "all";
}
