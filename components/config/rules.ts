/**
 * Rules that relate keys (one key's own range and syntax live in its schema in keys.ts). Each rule
 * names the keys it reads; it is skipped when one of them is already invalid, so every problem is
 * reported once, at the key that has to change.
 */
import { cidrContains, cidrOverlaps, parseCidr, parseIp } from "../../policy-pack/shared/net";
import { letsEncrypt } from "../facts";
import { Environment, KeyName, Values } from "./keys";
import type { ConfigProblem } from "./parse";
import { reservedNamespaces, resolveHost, resolvedApps } from "./types";

export interface RuleContext {
    readonly env: Environment;
    /** Keys the stack sets (not defaulted). */
    readonly set: ReadonlySet<KeyName>;
}

export interface CrossRule {
    readonly keys: readonly KeyName[];
    check(v: Values, ctx: RuleContext): ConfigProblem[];
}

function problem(key: string, value: unknown, message: string): ConfigProblem {
    return { key, value, message };
}

function rule(keys: readonly KeyName[], check: CrossRule["check"]): CrossRule {
    return { keys, check };
}

/** A CIDR already validated by its key's schema. */
function cidrOf(text: string): NonNullable<ReturnType<typeof parseCidr>> {
    const c = parseCidr(text);
    if (!c) throw new Error(`internal: ${text} passed the CIDR schema but does not parse`);
    return c;
}

const poolRules = (["system", "user"] as const).map((pool) => {
    const min = `${pool}PoolMinCount` as const;
    const max = `${pool}PoolMaxCount` as const;
    return rule([min, max], (v, { env }) => [
        ...(v[min] > v[max] ? [problem(min, v[min], `must not exceed ${max} (${v[max]})`)] : []),
        ...(env === "prod" && pool === "system" && v[min] < 2 ? [problem(min, v[min], "must be at least 2 in prod so system pods survive a node loss")] : []),
    ]);
});

export const CROSS_RULES: readonly CrossRule[] = [
    ...poolRules,
    rule(["availabilityZones"], (v, { env }) =>
        env === "prod" && v.availabilityZones.length < 2 ? [problem("availabilityZones", v.availabilityZones, "must name at least 2 zones in prod; choose a region with availability zones")] : []),
    rule(["apiServerAuthorizedIpRanges"], (v, { env }) => {
        if (env !== "prod") return [];
        if (v.apiServerAuthorizedIpRanges.length === 0) return [problem("apiServerAuthorizedIpRanges", [], "must list at least one CIDR in prod so the API server is not open to the internet")];
        return v.apiServerAuthorizedIpRanges.flatMap((r, i) => r.endsWith("/0") ? [problem(`apiServerAuthorizedIpRanges[${i}]`, r, "must not be 0.0.0.0/0 in prod: list your office, VPN and CI runner ranges")] : []);
    }),
    rule(["upgradeChannel"], (v, { env }) =>
        env === "prod" && v.upgradeChannel === "none" ? [problem("upgradeChannel", v.upgradeChannel, "must not be none in prod: unpatched clusters fall out of support; use stable or patch")] : []),
    rule(["nodeOsUpgradeChannel"], (v, { env }) =>
        env === "prod" && v.nodeOsUpgradeChannel !== "NodeImage" && v.nodeOsUpgradeChannel !== "SecurityPatch"
            ? [problem("nodeOsUpgradeChannel", v.nodeOsUpgradeChannel, "must be NodeImage or SecurityPatch in prod so nodes get security fixes without a manual step")]
            : []),
    rule(["vnetAddressSpace", "nodeSubnetCidr", "apiServerSubnetCidr", "podCidr", "serviceCidr", "dnsServiceIp"], (v) => {
        const vnet = cidrOf(v.vnetAddressSpace);
        const nodes = cidrOf(v.nodeSubnetCidr);
        const api = cidrOf(v.apiServerSubnetCidr);
        const pods = cidrOf(v.podCidr);
        const services = cidrOf(v.serviceCidr);
        const dnsIp = parseIp(v.dnsServiceIp);
        const out: ConfigProblem[] = [];
        if (!cidrContains(vnet, nodes)) out.push(problem("nodeSubnetCidr", v.nodeSubnetCidr, `must lie inside vnetAddressSpace (${v.vnetAddressSpace})`));
        if (!cidrContains(vnet, api)) out.push(problem("apiServerSubnetCidr", v.apiServerSubnetCidr, `must lie inside vnetAddressSpace (${v.vnetAddressSpace})`));
        // AKS API server VNet integration needs a delegated subnet of /28 or larger (learn.microsoft.com/azure/aks/api-server-vnet-integration).
        if (api.prefix > 28) out.push(problem("apiServerSubnetCidr", v.apiServerSubnetCidr, "must be /28 or larger (AKS API server VNet integration)"));
        if (cidrOverlaps(nodes, api)) out.push(problem("apiServerSubnetCidr", v.apiServerSubnetCidr, `must not overlap nodeSubnetCidr (${v.nodeSubnetCidr})`));
        if (cidrOverlaps(vnet, pods)) out.push(problem("podCidr", v.podCidr, `must not overlap vnetAddressSpace (${v.vnetAddressSpace})`));
        if (cidrOverlaps(vnet, services)) out.push(problem("serviceCidr", v.serviceCidr, `must not overlap vnetAddressSpace (${v.vnetAddressSpace})`));
        if (cidrOverlaps(pods, services)) out.push(problem("serviceCidr", v.serviceCidr, `must not overlap podCidr (${v.podCidr})`));
        if (dnsIp && !(dnsIp.value >= services.start && dnsIp.value <= services.end)) out.push(problem("dnsServiceIp", v.dnsServiceIp, `must lie inside serviceCidr (${v.serviceCidr})`));
        return out;
    }),
    rule(["dnsZoneName", "dnsParentZoneName", "dnsParentZoneResourceGroup"], (v) => {
        const name = v.dnsParentZoneName;
        const group = v.dnsParentZoneResourceGroup;
        if ((name === undefined) !== (group === undefined)) {
            const missing = name === undefined ? "dnsParentZoneName" : "dnsParentZoneResourceGroup";
            return [problem(missing, undefined, "must be set together with its pair (dnsParentZoneName and dnsParentZoneResourceGroup), or neither")];
        }
        if (name !== undefined && !v.dnsZoneName.endsWith(`.${name}`)) return [problem("dnsParentZoneName", name, `must be a parent of dnsZoneName (${v.dnsZoneName})`)];
        return [];
    }),
    rule(["issuer"], (v, { env }) =>
        env === "prod" && v.issuer === letsEncrypt.staging.issuerName
            ? [problem("issuer", v.issuer, `must be ${letsEncrypt.production.issuerName} in prod: staging certificates are not trusted by browsers (prove issuance on the staging stack first)`)]
            : []),
    rule(["dnsZoneName", "dns01CnameZones"], (v) => v.dns01CnameZones.flatMap((z, i) => {
        if (z === v.dnsZoneName || z.endsWith(`.${v.dnsZoneName}`) || v.dnsZoneName.endsWith(`.${z}`)) {
            return [problem(`dns01CnameZones[${i}]`, z, `must lie outside dnsZoneName (${v.dnsZoneName}) and not contain it: names in the zone are solved by the zone's own DNS-01 solver`)];
        }
        return v.dns01CnameZones.indexOf(z) !== i ? [problem(`dns01CnameZones[${i}]`, z, "is listed twice")] : [];
    })),
    rule(["certManagerReplicas"], (v, { env }) =>
        env === "prod" && v.certManagerReplicas < 2 ? [problem("certManagerReplicas", v.certManagerReplicas, "must be at least 2 in prod (a PodDisruptionBudget needs a second replica)")] : []),
    rule(["ingressReplicas"], (v, { env }) =>
        env === "prod" && v.ingressReplicas < 2 ? [problem("ingressReplicas", v.ingressReplicas, "must be at least 2 in prod so a node drain does not take the front door down")] : []),
    rule(["protectResources"], (v, { env }) =>
        env === "prod" && !v.protectResources ? [problem("protectResources", false, "must be true in prod: the cluster and zone must not be deletable by one `pulumi destroy`")] : []),
    rule(["monitoringMode", "alertWebhookUrl"], (v, { set }) =>
        set.has("alertWebhookUrl") && v.monitoringMode !== "azure" ? [problem("alertWebhookUrl", v.alertWebhookUrl, `is only used with monitoringMode: azure (it is ${v.monitoringMode}); remove it or switch the mode`)] : []),
    rule(["istioCsrEnabled", "istioMeshNamespaces"], (v) =>
        v.istioCsrEnabled && v.istioMeshNamespaces.length === 0 ? [problem("istioMeshNamespaces", [], "must name at least one namespace when istioCsrEnabled is true (istiod's, usually istio-system)")] : []),
    rule(["apps", "dnsZoneName", "dns01CnameZones", "monitoringNamespace", "demoApp"], (v) => {
        const out: ConfigProblem[] = [];
        const reserved = reservedNamespaces(v.monitoringNamespace);
        v.apps.forEach((a, i) => {
            if (reserved.includes(a.name)) out.push(problem(`apps[${i}].name`, a.name, `collides with a system, platform or monitoring namespace (${reserved.join(", ")}); pick another name`));
            const h = resolveHost(a.name, a.host, v.dnsZoneName, v.dns01CnameZones);
            if (h.certificate === "outside") {
                out.push(problem(`apps[${i}].host`, a.host, `must be one label below the zone, like "${a.name}" or "${a.name}.${v.dnsZoneName}" (the wildcard certificate covers it), or a name inside one of dns01CnameZones (${v.dns01CnameZones.join(", ") || "none set"})`));
            }
        });
        const apps = resolvedApps(v);
        const seenNames = new Map<string, number>();
        const seenHosts = new Map<string, number>();
        apps.forEach((a, i) => {
            const where = i < v.apps.length ? `apps[${i}]` : "demoApp";
            const dupName = seenNames.get(a.name);
            if (dupName !== undefined) out.push(problem(`${where}.name`, a.name, `duplicates apps[${dupName}]; app names must be unique (each is a namespace)`));
            seenNames.set(a.name, i);
            const dupHost = seenHosts.get(a.host);
            if (dupHost !== undefined) out.push(problem(`${where}.host`, a.host, `duplicates the host of apps[${dupHost}]; each app needs its own host`));
            seenHosts.set(a.host, i);
        });
        return out;
    }),
];
