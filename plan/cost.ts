/**
 * The monthly cost estimate docs/cost.md shows for each stack: what the stack's config makes Azure
 * bill (cluster-hours of its tier, VM-hours of each pool between the autoscaler's minimum and
 * maximum, public IPs, the DNS zone), times list prices. A price is data with its source, date and
 * region; a meter without a price read from Microsoft's own text stays unpriced and is listed as
 * such, never guessed. `npm run docs` writes the block; a test fails when it is stale.
 */
import { ENVIRONMENTS, PlatformConfig } from "../components/config";
import { clusterSettings } from "../components/azure/aks-cluster";

export const COST_START_MARKER = "<!-- cost:start -->";
export const COST_END_MARKER = "<!-- cost:end -->";
/** The page that carries the estimate, between the markers above. */
export const COST_DOC_FILE = "docs/cost.md";

/** 8,760 hours a year over 12 months: the month every figure here is for. */
export const HOURS_PER_MONTH = 730;

/** A list price as Microsoft states it, with where and when it was read. */
export interface ListPrice {
    readonly usd: number;
    /** What one `usd` buys: "cluster-hour", "VM-hour", ... */
    readonly per: string;
    /** Region the price is for, or "every region" when the source gives one price. */
    readonly region: string;
    /** Date of the source text (ISO). */
    readonly date: string;
    /** URL of Microsoft's text that states the price. */
    readonly source: string;
    /** What the source says, in our words. */
    readonly note: string;
}

/** Why a meter has no price here, and where an operator reads it. */
export interface MissingPrice {
    /** Microsoft's pricing page for the meter, which shows no figure here. */
    readonly page: string;
    /** A Retail Prices API request for the meter's current list price. */
    readonly lookup: string;
    /** Which row of the answer is the meter, when the request returns several. */
    readonly pick?: string;
}

export type Price = ListPrice | MissingPrice;

export function isListPrice(p: Price): p is ListPrice {
    return (p as ListPrice).usd !== undefined;
}

/** The Azure Retail Prices API (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices): unauthenticated, USD list prices. */
export function retailPricesQuery(filter: string): string {
    return `curl -s "https://prices.azure.com/api/retail/prices?\\$filter=${filter.replace(/ /g, "%20")}"`;
}

/**
 * The meters a stack uses and what is known of their prices. Only two prices were found in
 * Microsoft's own text; every other meter says where to read its price.
 */
export function meterPrice(meter: Meter): Price {
    switch (meter.kind) {
        case "cluster":
            return meter.tier === "Free"
                ? {
                    usd: 0, per: "cluster-hour", region: "every region", date: "2024-06-07",
                    source: "https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers",
                    note: "Free tier: free cluster management; you pay for the resources you consume",
                }
                : {
                    usd: 0.1, per: "cluster-hour", region: "every region", date: "2020-05-13",
                    source: "https://techcommunity.microsoft.com/t5/apps-on-azure-blog/aks-introduces-uptime-sla/ba-p/1350832",
                    note: "Microsoft's announcement of the Uptime SLA at $0.10 per cluster-hour; the Standard tier turns the Uptime SLA on by default (learn.microsoft.com/azure/aks/free-standard-pricing-tiers). The announcement is old: check the current price",
                };
        case "vm":
            return {
                page: "https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
                lookup: retailPricesQuery(`serviceName eq 'Virtual Machines' and armRegionName eq '${meter.region}' and armSkuName eq '${meter.vmSize}' and priceType eq 'Consumption'`),
                pick: "the row whose productName has no \"Windows\" and whose skuName has no \"Spot\" or \"Low Priority\"",
            };
        case "public-ip":
            return {
                page: "https://azure.microsoft.com/pricing/details/ip-addresses/",
                lookup: retailPricesQuery(`serviceName eq 'Virtual Network' and productName eq 'IP Addresses' and meterName eq 'Standard IPv4 Static Public IP' and armRegionName eq '${meter.region}'`),
            };
        case "dns-zone":
            return {
                page: "https://azure.microsoft.com/pricing/details/dns/",
                lookup: retailPricesQuery("serviceName eq 'Azure DNS'"),
                pick: "the public zone meter (queries have a meter of their own)",
            };
    }
}

export type Meter =
    | { readonly kind: "cluster"; readonly tier: "Free" | "Standard" }
    | { readonly kind: "vm"; readonly vmSize: string; readonly region: string }
    | { readonly kind: "public-ip"; readonly region: string }
    | { readonly kind: "dns-zone" };

/** One billed item of a stack: a meter, and how many units a month at the autoscaler's minimum and maximum. */
export interface CostLine {
    readonly item: string;
    readonly meter: Meter;
    readonly unit: string;
    readonly min: number;
    readonly max: number;
    /** How the quantity follows from the config. */
    readonly basis: string;
}

/** What the stack's config makes Azure bill each month, as quantities (no prices). */
export function costLines(config: PlatformConfig): CostLine[] {
    const tier = clusterSettings(config).tier;
    const { systemPool, userPool } = config.cluster;
    const region = config.location;
    const pool = (item: string, p: typeof systemPool, key: string): CostLine => ({
        item,
        meter: { kind: "vm", vmSize: p.vmSize, region },
        unit: "VM-hours",
        min: p.minCount * HOURS_PER_MONTH,
        max: p.maxCount * HOURS_PER_MONTH,
        basis: `${key}MinCount-${key}MaxCount: ${p.minCount}-${p.maxCount} nodes x ${HOURS_PER_MONTH} h`,
    });
    return [
        {
            item: "cluster management",
            meter: { kind: "cluster", tier },
            unit: "cluster-hours",
            min: HOURS_PER_MONTH,
            max: HOURS_PER_MONTH,
            basis: `1 cluster x ${HOURS_PER_MONTH} h`,
        },
        pool("system node pool", systemPool, "systemPool"),
        pool("user node pool", userPool, "userPool"),
        {
            item: "ingress IP",
            meter: { kind: "public-ip", region },
            unit: "IP-hours",
            min: HOURS_PER_MONTH,
            max: HOURS_PER_MONTH,
            basis: `the static IP in ${config.namePrefix}-${config.environment}-ingress-rg x ${HOURS_PER_MONTH} h`,
        },
        {
            item: "outbound IP",
            meter: { kind: "public-ip", region },
            unit: "IP-hours",
            min: HOURS_PER_MONTH,
            max: HOURS_PER_MONTH,
            // @pulumi/azure-native 3.28.0 types (containerservice, ManagedClusterLoadBalancerProfileManagedOutboundIPs.count): "The default value is 1".
            basis: `the 1 managed outbound IP AKS creates x ${HOURS_PER_MONTH} h`,
        },
        {
            item: "DNS zone",
            meter: { kind: "dns-zone" },
            unit: "zone-months",
            min: 1,
            max: 1,
            basis: "the stack's public zone",
        },
    ];
}

/** The same lines with their prices: the priced part of the estimate, and what stays unpriced. */
export interface Estimate {
    readonly lines: readonly (CostLine & { readonly price: Price; readonly costMin?: number; readonly costMax?: number })[];
    /** Sum over the priced lines, at the autoscaler's minimum and maximum. */
    readonly pricedMin: number;
    readonly pricedMax: number;
    /** Items whose meter has no price here: the estimate is a lower bound until they are added. */
    readonly unpriced: readonly string[];
}

export function estimate(lines: readonly CostLine[], priceOf: (m: Meter) => Price = meterPrice): Estimate {
    let pricedMin = 0;
    let pricedMax = 0;
    const unpriced: string[] = [];
    const priced = lines.map((l) => {
        const price = priceOf(l.meter);
        if (!isListPrice(price)) {
            unpriced.push(l.item);
            return { ...l, price };
        }
        const costMin = l.min * price.usd;
        const costMax = l.max * price.usd;
        pricedMin += costMin;
        pricedMax += costMax;
        return { ...l, price, costMin, costMax };
    });
    return { lines: priced, pricedMin, pricedMax, unpriced };
}

function usd(n: number): string {
    return `${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;
}

function range(min: number, max: number, unit: string): string {
    const f = (n: number): string => n.toLocaleString("en-US");
    if (min !== max) return `${f(min)}-${f(max)} ${unit}`;
    return `${f(min)} ${min === 1 ? unit.replace(/s$/, "") : unit}`;
}

function priceText(n: number): string {
    return `${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })} USD`;
}

function meterText(m: Meter): string {
    switch (m.kind) {
        case "cluster": return `AKS ${m.tier} tier`;
        case "vm": return `${m.vmSize} (Linux), ${m.region}`;
        case "public-ip": return `Standard static public IPv4, ${m.region}`;
        case "dns-zone": return "Azure DNS public zone";
    }
}

/** One stack's table, its priced total and what the total leaves out. */
export function renderStackCost(stack: string, config: PlatformConfig): string {
    const e = estimate(costLines(config));
    const rows = e.lines.map((l) => {
        const price = isListPrice(l.price) ? `${priceText(l.price.usd)} per ${l.price.per} (${l.price.region}, ${l.price.date})` : "not found: see below";
        const cost = l.costMin === undefined || l.costMax === undefined ? "?" : l.costMin === l.costMax ? usd(l.costMin) : `${usd(l.costMin)}-${usd(l.costMax)}`;
        return `| ${l.item} | ${meterText(l.meter)} | ${range(l.min, l.max, l.unit)} (${l.basis}) | ${price} | ${cost} |`;
    });
    const total = e.pricedMin === e.pricedMax ? usd(e.pricedMin) : `${usd(e.pricedMin)}-${usd(e.pricedMax)}`;
    return [
        `### ${stack}`,
        "",
        `Tier ${clusterSettings(config).tier}, region ${config.location}, monitoring mode ${config.monitoring.mode}.`,
        "",
        "| item | meter | a month (autoscaler min-max) | list price | cost a month |",
        "| --- | --- | --- | --- | --- |",
        ...rows,
        `| **priced part** | | | | **${total}** |`,
        "",
        `Not in the priced part: ${e.unpriced.join(", ")}${e.unpriced.length > 0 ? " (no list price found; see below)" : ""}.`,
        "",
    ].join("\n");
}

/** Where each price comes from, and how to read the missing ones, for the meters the stacks use. */
export function renderPriceSources(configs: readonly PlatformConfig[]): string {
    const seen = new Map<string, { meter: Meter; price: Price }>();
    for (const c of configs) {
        for (const l of costLines(c)) seen.set(meterText(l.meter), { meter: l.meter, price: meterPrice(l.meter) });
    }
    const priced = [...seen].filter(([, v]) => isListPrice(v.price));
    const missing = [...seen].filter(([, v]) => !isListPrice(v.price));
    return [
        "### Prices used",
        "",
        ...priced.map(([name, v]) => {
            const p = v.price as ListPrice;
            return `- **${name}**: ${priceText(p.usd)} per ${p.per}, ${p.region}, as of ${p.date}. Source: ${p.source}. ${p.note}.`;
        }),
        "",
        "### Prices not found here",
        "",
        ...missing.map(([name, v]) => {
            const p = v.price as MissingPrice;
            return `- **${name}** (${p.page} shows no figure here): \`${p.lookup}\`${p.pick ? `, then ${p.pick}` : ""}.`;
        }),
        "",
    ].join("\n");
}

/** The whole block between the markers: every stack (dev, staging, prod order, then by name), then the price sources. */
export function renderCostSection(stacks: readonly { stack: string; config: PlatformConfig }[]): string {
    const ordered = [...stacks].sort((a, b) =>
        ENVIRONMENTS.indexOf(a.config.environment) - ENVIRONMENTS.indexOf(b.config.environment) || a.stack.localeCompare(b.stack));
    return [
        "",
        `<!-- Generated from the stack files and plan/cost.ts by \`npm run docs\`; do not edit by hand. ${HOURS_PER_MONTH} hours a month. -->`,
        "",
        ...ordered.map((s) => renderStackCost(s.stack, s.config)),
        renderPriceSources(stacks.map((s) => s.config)),
    ].join("\n");
}
