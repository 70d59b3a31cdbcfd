import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, decode, KeyDef, KEYS, parseConfig, PlatformConfig, PROJECT, RawConfig } from "../components/config";
import { closest, editDistance, isByEnvironment, isSameAs, knownKeysAt } from "../components/config/parse";
import { z } from "zod";
import { DEMO_APP, resolveHost } from "../components/config/types";
import { listStacks, projectKeys, readStackConfig, readStackDocument, StackFileError } from "../plan/stack-config";
import { runProgram } from "../plan/program";

/** A stack file's project keys as Pulumi hands them to the program: strings, structured values as JSON text. */
function rawStack(stack: string): { raw: Record<string, unknown>; location: string | undefined } {
    return projectKeys(readStackConfig(stack));
}

function problemsAt(raw: RawConfig, location: string | undefined = "westeurope"): ConfigError {
    try {
        parseConfig(raw, location);
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
    }
    assert.fail("expected a ConfigError");
}

const dev = rawStack("dev").raw;
const prod = rawStack("prod").raw;
const app = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: "a", image: "r.example.com/a:1", port: 8080, ...extra });

/** A stack's raw config with keys set, or removed where the value is undefined. */
function withSet(base: Record<string, unknown>, set: Record<string, unknown>): Record<string, unknown> {
    const raw: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(set)) {
        if (v === undefined) delete raw[k];
        else raw[k] = v;
    }
    return raw;
}

interface BadCase {
    why: string;
    base?: Record<string, unknown>;
    set: Record<string, unknown>;
    /** The path the problem must name (below `aks-platform:`). */
    key: string;
    /** A fragment of the explanation (what is allowed, or the fix). */
    says: RegExp;
}

const BAD: BadCase[] = [
    { why: "zone name not an FQDN", set: { dnsZoneName: "localhost" }, key: "dnsZoneName", says: /fully qualified domain name/ },
    { why: "zone name with a trailing dot", set: { dnsZoneName: "dev.example.com." }, key: "dnsZoneName", says: /without a trailing dot/ },
    { why: "zone name with uppercase and underscore", set: { dnsZoneName: "Dev_Zone.example.com" }, key: "dnsZoneName", says: /lowercase/ },
    { why: "zone name missing", set: { dnsZoneName: undefined }, key: "dnsZoneName", says: /is required/ },
    { why: "ACME email invalid", set: { acmeEmail: "platform-team" }, key: "acmeEmail", says: /email address/ },
    { why: "ACME email missing", set: { acmeEmail: undefined }, key: "acmeEmail", says: /is required: Let's Encrypt sends expiry notices/ },
    { why: "CAA iodef email invalid", set: { caaIodefEmail: "not an email" }, key: "caaIodefEmail", says: /email address/ },
    { why: "Kubernetes version with a v prefix", set: { kubernetesVersion: "v1.35" }, key: "kubernetesVersion", says: /major\.minor/ },
    { why: "Kubernetes version with four parts", set: { kubernetesVersion: "1.35.2.1" }, key: "kubernetesVersion", says: /major\.minor or major\.minor\.patch/ },
    { why: "Kubernetes version empty", set: { kubernetesVersion: "" }, key: "kubernetesVersion", says: /major\.minor/ },
    { why: "system pool min above max", set: { systemPoolMinCount: 5, systemPoolMaxCount: 3 }, key: "systemPoolMinCount", says: /must not exceed systemPoolMaxCount \(3\)/ },
    { why: "user pool min above max", set: { userPoolMinCount: 4, userPoolMaxCount: 2 }, key: "userPoolMinCount", says: /must not exceed userPoolMaxCount/ },
    { why: "prod system pool of one node", base: prod, set: { systemPoolMinCount: 1 }, key: "systemPoolMinCount", says: /at least 2 in prod/ },
    { why: "system pool min zero", set: { systemPoolMinCount: 0 }, key: "systemPoolMinCount", says: /whole number from 1 to 100/ },
    { why: "user pool max out of range", set: { userPoolMaxCount: 5000 }, key: "userPoolMaxCount", says: /from 1 to 1000/ },
    { why: "node count not a whole number", set: { userPoolMinCount: "two" }, key: "userPoolMinCount", says: /whole number/ },
    { why: "node count with a fraction", set: { userPoolMinCount: "1.5" }, key: "userPoolMinCount", says: /whole number/ },
    { why: "VM size empty", set: { systemPoolVmSize: "" }, key: "systemPoolVmSize", says: /Azure VM size/ },
    { why: "VM size not an Azure size", set: { userPoolVmSize: "large" }, key: "userPoolVmSize", says: /Standard_D4ds_v5/ },
    { why: "authorized range not a CIDR", set: { apiServerAuthorizedIpRanges: ["203.0.113.7"] }, key: "apiServerAuthorizedIpRanges[0]", says: /IPv4 CIDR/ },
    { why: "authorized range with host bits set", set: { apiServerAuthorizedIpRanges: ["203.0.113.7/24"] }, key: "apiServerAuthorizedIpRanges[0]", says: /host bits zero/ },
    { why: "0.0.0.0/0 authorized in prod", base: prod, set: { apiServerAuthorizedIpRanges: ["0.0.0.0/0"] }, key: "apiServerAuthorizedIpRanges[0]", says: /not be 0\.0\.0\.0\/0 in prod/ },
    { why: "no authorized ranges in prod", base: prod, set: { apiServerAuthorizedIpRanges: [] }, key: "apiServerAuthorizedIpRanges", says: /at least one CIDR in prod/ },
    { why: "unknown environment", set: { environment: "qa" }, key: "environment", says: /one of dev, staging, prod/ },
    { why: "environment missing", set: { environment: undefined }, key: "environment", says: /is required/ },
    { why: "prod on the staging ACME server", base: prod, set: { issuer: "letsencrypt-staging" }, key: "issuer", says: /must be letsencrypt-production in prod/ },
    { why: "unknown issuer", set: { issuer: "letsencrypt" }, key: "issuer", says: /letsencrypt-staging or letsencrypt-production/ },
    { why: "app name not a DNS-1123 label", set: { apps: [app({ name: "My_App" })] }, key: "apps[0].name", says: /DNS-1123 label/ },
    { why: "app without a name", set: { apps: [{ image: "r.example.com/a:1", port: 8080 }] }, key: "apps[0].name", says: /is required/ },
    { why: "app name collides with kube-system", set: { apps: [app({ name: "kube-system" })] }, key: "apps[0].name", says: /collides with a system, platform or monitoring namespace \(default, kube-system, .*, monitoring\)/ },
    { why: "app name collides with cert-manager", set: { apps: [app({ name: "cert-manager" })] }, key: "apps[0].name", says: /collides/ },
    { why: "app name collides with the monitoring namespace", set: { apps: [app({ name: "monitoring" })] }, key: "apps[0].name", says: /collides/ },
    { why: "duplicate app hosts", set: { apps: [app({ host: "shop" }), app({ name: "b", host: "shop" })] }, key: "apps[1].host", says: /duplicates the host of apps\[0\]/ },
    { why: "duplicate app names", set: { demoApp: false, apps: [app(), app({ host: "a2" })] }, key: "apps[1].name", says: /app names must be unique/ },
    { why: "app host outside the zone", set: { apps: [app({ host: "a.other.org" })] }, key: "apps[0].host", says: /one label below the zone.*dns01CnameZones \(none set\)/ },
    { why: "app host outside the zone and its CNAME zones", set: { dns01CnameZones: ["example.org", "example.net"], apps: [app({ host: "a.other.org" })] }, key: "apps[0].host", says: /one of dns01CnameZones \(example\.org, example\.net\)/ },
    { why: "an app on the demo app's host while the demo app is on", set: { demoApp: true, apps: [app({ name: "shop", host: "app" })] }, key: "demoApp.host", says: /duplicates the host of apps\[0\]/ },
    { why: "app host two labels deep (the wildcard does not cover it)", set: { apps: [app({ host: "x.y.dev.platform.example.com" })] }, key: "apps[0].host", says: /wildcard certificate covers it\), or a name inside one of dns01CnameZones/ },
    { why: "app image on latest", set: { apps: [app({ image: "r.example.com/a:latest" })] }, key: "apps[0].image", says: /pin a tag or digest/ },
    { why: "app image without a tag", set: { apps: [app({ image: "r.example.com/a" })] }, key: "apps[0].image", says: /pin a tag or digest/ },
    { why: "app port privileged", set: { apps: [app({ port: 80 })] }, key: "apps[0].port", says: /from 1024 to 65535: apps run as non-root/ },
    { why: "app replicas zero", set: { apps: [app({ replicas: 0 })] }, key: "apps[0].replicas", says: /from 1 to 100/ },
    { why: "app egress CIDR 0.0.0.0/0", set: { apps: [app({ egress: [{ cidr: "0.0.0.0/0", port: 443 }] })] }, key: "apps[0].egress[0].cidr", says: /not be 0\.0\.0\.0\/0/ },
    { why: "app egress port out of range", set: { apps: [app({ egress: [{ cidr: "10.1.0.0/24", port: 70000 }] })] }, key: "apps[0].egress[0].port", says: /from 1 to 65535/ },
    { why: "app egress protocol unknown", set: { apps: [app({ egress: [{ cidr: "10.1.0.0/24", port: 5432, protocol: "ICMP" }] })] }, key: "apps[0].egress[0].protocol", says: /TCP or UDP/ },
    { why: "app egress protocol lowercase", set: { apps: [app({ egress: [{ cidr: "10.1.0.0/24", port: 5432, protocol: "tcp" }] })] }, key: "apps[0].egress[0].protocol", says: /TCP or UDP/ },
    { why: "typo inside an app (hostname for host)", set: { apps: [app({ hostname: "shop" })] }, key: "apps[0].hostname", says: /did you mean `host`\?/ },
    { why: "typo inside an app (replica for replicas)", set: { apps: [app({ replica: 3 })] }, key: "apps[0].replica", says: /did you mean `replicas`\?/ },
    { why: "typo inside an app (egres for egress)", set: { apps: [app({ egres: [] })] }, key: "apps[0].egres", says: /did you mean `egress`\?/ },
    { why: "typo inside an egress entry", set: { apps: [app({ egress: [{ cidr: "10.1.0.0/24", port: 5432, protocl: "TCP" }] })] }, key: "apps[0].egress[0].protocl", says: /did you mean `protocol`\?.*known: cidr, port, protocol/ },
    { why: "apps not a list", set: { apps: { name: "a" } }, key: "apps", says: /must be a list/ },
    { why: "apps as broken JSON text", set: { apps: "[{name: a" }, key: "apps", says: /must be a list/ },
    { why: "recursive nameserver without port", set: { recursiveNameservers: ["1.1.1.1"] }, key: "recursiveNameservers[0]", says: /address and port/ },
    { why: "no recursive nameserver", set: { recursiveNameservers: [] }, key: "recursiveNameservers", says: /at least one resolver/ },
    { why: "node subnet outside the VNet", set: { nodeSubnetCidr: "10.99.0.0/22" }, key: "nodeSubnetCidr", says: /inside vnetAddressSpace/ },
    { why: "API server subnet outside the VNet", set: { apiServerSubnetCidr: "10.99.4.0/28" }, key: "apiServerSubnetCidr", says: /must lie inside vnetAddressSpace \(10\.10\.0\.0\/16\)/ },
    { why: "API server subnet smaller than /28", set: { apiServerSubnetCidr: "10.10.4.0/29" }, key: "apiServerSubnetCidr", says: /\/28 or larger/ },
    { why: "API server subnet overlapping nodes", set: { apiServerSubnetCidr: "10.10.0.0/28" }, key: "apiServerSubnetCidr", says: /not overlap nodeSubnetCidr/ },
    { why: "pod CIDR overlapping the VNet", set: { podCidr: "10.10.0.0/16" }, key: "podCidr", says: /not overlap vnetAddressSpace/ },
    { why: "Service CIDR overlapping the pod CIDR", set: { serviceCidr: "192.168.0.0/20", dnsServiceIp: "192.168.0.10" }, key: "serviceCidr", says: /not overlap podCidr/ },
    { why: "DNS service IP above the Service CIDR", set: { dnsServiceIp: "10.1.0.10" }, key: "dnsServiceIp", says: /inside serviceCidr/ },
    { why: "DNS service IP below the Service CIDR", set: { dnsServiceIp: "9.255.255.250" }, key: "dnsServiceIp", says: /inside serviceCidr \(10\.0\.0\.0\/16\)/ },
    { why: "Service CIDR overlapping the VNet", set: { serviceCidr: "10.10.0.0/16", dnsServiceIp: "10.10.0.10" }, key: "serviceCidr", says: /not overlap vnetAddressSpace/ },
    { why: "availability zone unknown", set: { availabilityZones: ["1", "4"] }, key: "availabilityZones[1]", says: /"1", "2" or "3"/ },
    { why: "availability zone repeated", set: { availabilityZones: ["1", "1"] }, key: "availabilityZones", says: /not repeat/ },
    { why: "prod with one zone", base: prod, set: { availabilityZones: ["1"] }, key: "availabilityZones", says: /at least 2 zones in prod/ },
    { why: "prod with one cert-manager replica", base: prod, set: { certManagerReplicas: 1 }, key: "certManagerReplicas", says: /at least 2 in prod/ },
    { why: "prod with one ingress replica", base: prod, set: { ingressReplicas: 1 }, key: "ingressReplicas", says: /at least 2 in prod/ },
    { why: "prod unprotected", base: prod, set: { protectResources: false }, key: "protectResources", says: /must be true in prod/ },
    { why: "prod without upgrades", base: prod, set: { upgradeChannel: "none" }, key: "upgradeChannel", says: /not be none in prod/ },
    { why: "node-image as the cluster channel (legacy; never upgrades Kubernetes)", set: { upgradeChannel: "node-image" }, key: "upgradeChannel", says: /must not be node-image.*nodeOsUpgradeChannel: NodeImage/ },
    { why: "unknown upgrade channel", set: { upgradeChannel: "weekly" }, key: "upgradeChannel", says: /one of patch, stable, rapid, none/ },
    { why: "prod with unmanaged node OS upgrades", base: prod, set: { nodeOsUpgradeChannel: "Unmanaged" }, key: "nodeOsUpgradeChannel", says: /NodeImage or SecurityPatch in prod/ },
    { why: "maintenance window on a made-up day", set: { clusterUpgradeWindow: { day: "Sun", start: "02:00" } }, key: "clusterUpgradeWindow.day", says: /day of the week/ },
    { why: "maintenance window shorter than AKS allows", set: { nodeOsUpgradeWindow: { day: "Sunday", start: "02:00", durationHours: 2 } }, key: "nodeOsUpgradeWindow.durationHours", says: /from 4 to 24/ },
    { why: "maintenance window start not HH:mm", set: { clusterUpgradeWindow: { day: "Sunday", start: "2am" } }, key: "clusterUpgradeWindow.start", says: /HH:mm/ },
    { why: "maintenance window with an unknown field", set: { clusterUpgradeWindow: { day: "Sunday", start: "02:00", duration: 4 } }, key: "clusterUpgradeWindow.duration", says: /did you mean `durationHours`\?/ },
    { why: "admin group not a GUID", set: { clusterAdminGroupObjectIds: ["platform-admins"] }, key: "clusterAdminGroupObjectIds[0]", says: /GUID/ },
    { why: "parent zone without its resource group", set: { dnsParentZoneResourceGroup: undefined }, key: "dnsParentZoneResourceGroup", says: /set together/ },
    { why: "parent zone not a parent", set: { dnsParentZoneName: "example.org" }, key: "dnsParentZoneName", says: /must be a parent of dnsZoneName/ },
    { why: "record TTL too low", set: { dnsRecordTtl: 5 }, key: "dnsRecordTtl", says: /from 60 to 86400/ },
    { why: "boolean key with a word", set: { istioCsrEnabled: "yes" }, key: "istioCsrEnabled", says: /true or false/ },
    { why: "HTTP-01 (removed: F5 NGINX cannot serve its challenge next to an app's Ingress)", set: { http01Enabled: "true" }, key: "http01Enabled", says: /not a known key/ },
    { why: "CNAME zone inside the platform zone", set: { dns01CnameZones: ["x.dev.platform.example.com"] }, key: "dns01CnameZones[0]", says: /outside dnsZoneName/ },
    { why: "CNAME zone equal to the platform zone", set: { dns01CnameZones: ["dev.platform.example.com"] }, key: "dns01CnameZones[0]", says: /outside dnsZoneName/ },
    { why: "CNAME zone listed twice", set: { dns01CnameZones: ["example.org", "example.org"] }, key: "dns01CnameZones[1]", says: /listed twice/ },
    { why: "monitoring mode unknown", set: { monitoringMode: "grafana" }, key: "monitoringMode", says: /azure, prometheus-operator or none/ },
    { why: "webhook URL over plain HTTP", base: prod, set: { alertWebhookUrl: "http://hooks.example.com/x" }, key: "alertWebhookUrl", says: /https URL/ },
    { why: "webhook URL without azure monitoring", set: { monitoringMode: "prometheus-operator", alertWebhookUrl: "https://hooks.example.com/x" }, key: "alertWebhookUrl", says: /only used with monitoringMode: azure/ },
    { why: "alert e-mail invalid", set: { alertEmail: "oncall" }, key: "alertEmail", says: /email address/ },
    { why: "monitoring label key with bad syntax", set: { monitoringPodLabels: { "bad key!": "x" } }, key: 'monitoringPodLabels["bad key!"]', says: /not a Kubernetes label key/ },
    { why: "monitoring label value with bad syntax", set: { prometheusSelectorLabels: { release: "-stack" } }, key: "prometheusSelectorLabels.release", says: /^is not a Kubernetes label value: at most 63/ },
    { why: "a label key that starts with a digit is written in brackets", set: { monitoringPodLabels: { "9lives": "-x" } }, key: 'monitoringPodLabels["9lives"]', says: /not a Kubernetes label value/ },
    { why: "azure-native:location under the project's namespace", set: { location: "westeurope" }, key: "location", says: /^is not a known key; the keys are listed/ },
    { why: "selector labels empty", set: { prometheusSelectorLabels: {} }, key: "prometheusSelectorLabels", says: /at least one label/ },
    { why: "monitoring namespace not a label", set: { monitoringNamespace: "Monitoring" }, key: "monitoringNamespace", says: /DNS-1123 label/ },
    { why: "unknown key (transposed letters)", set: { dnsZoneNmae: "x.example.com" }, key: "dnsZoneNmae", says: /did you mean `dnsZoneName`\?/ },
    { why: "unknown key (wrong case)", set: { UserPoolMaxCount: 3 }, key: "UserPoolMaxCount", says: /did you mean `userPoolMaxCount`\?/ },
    { why: "unknown key far from any known one", set: { frobnicate: true }, key: "frobnicate", says: /not a known key; the keys are listed in docs\/configuration\.md/ },
    { why: "mesh namespace not a DNS-1123 label", set: { istioMeshNamespaces: ["Istio_System"] }, key: "istioMeshNamespaces[0]", says: /DNS-1123 label/ },
    { why: "istio-csr on with no mesh namespace", set: { istioCsrEnabled: true, istioMeshNamespaces: [] }, key: "istioMeshNamespaces", says: /at least one namespace/ },
    { why: "name prefix with uppercase", set: { namePrefix: "Platform" }, key: "namePrefix", says: /lowercase letters and digits/ },
];

describe("config: bad input gets a clear error naming key, value and fix", () => {
    for (const c of BAD) {
        it(c.why, () => {
            const raw = withSet(c.base ?? dev, c.set);
            const err = problemsAt(raw);
            const problem = err.problems.find((p) => p.key === c.key);
            assert.ok(problem, `no problem for ${c.key}; got: ${err.problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`);
            assert.match(problem.message, c.says);
            // The rendered message names the full key and the offending value.
            assert.ok(err.message.includes(`${PROJECT}:${c.key} = `), err.message);
            if (c.key in c.set && c.set[c.key] !== undefined) assert.ok(err.message.includes(JSON.stringify(c.set[c.key]).slice(0, 40)), err.message);
        });
    }

    it("reports every problem at once, each at its own path, not just the first", () => {
        const err = problemsAt({
            ...dev, dnsZoneName: "nope", acmeEmail: "x", kubernetesVersion: "latest", environment: "qa",
            apps: [app({ hostname: "h", egress: [{ cidr: "10.0.0.1/24", port: 5432, protocol: "udp" }] })],
        });
        assert.deepStrictEqual(err.problems.map((p) => p.key).sort(), [
            "acmeEmail", "apps[0].egress[0].cidr", "apps[0].egress[0].protocol", "apps[0].hostname", "dnsZoneName", "environment", "kubernetesVersion",
        ]);
        assert.match(err.message, /7 problems/);
        // The Pulumi CLI prints a RunError's message without a stack trace (sdk/nodejs/cmd/run/run.ts).
        assert.ok(pulumi.RunError.isInstance(err), "a user error must not print a stack trace under the CLI");
    });

    it("requires azure-native:location", () => {
        let err: ConfigError | undefined;
        try {
            parseConfig(dev, undefined);
        } catch (e) {
            if (e instanceof ConfigError) err = e;
        }
        assert.ok(err, "expected a ConfigError");
        assert.ok(err.problems.some((p) => p.key === "azure-native:location" && /pulumi config set azure-native:location/.test(p.message)));
        assert.match(err.message, /azure-native:location = \(not set\)/);
    });

    it("creates no resource when the config is bad (the program fails before registering anything)", async () => {
        await assert.rejects(
            runProgram("dev", { configOverrides: { [`${PROJECT}:dnsZoneName`]: "bad zone" } }),
            (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.key === "dnsZoneName"),
        );
    });

    it("suggests the key a typo meant, and nothing when no key is close", () => {
        const keys = Object.keys(KEYS);
        assert.strictEqual(closest("userPoolMaxCont", keys), "userPoolMaxCount");
        assert.strictEqual(closest("acmeEmial", keys), "acmeEmail");
        assert.strictEqual(closest("zzzzzz", keys), undefined);
    });
});

describe("config: the parser's details", () => {
    it("decodes numbers with a sign or a fraction, false, and JSON after leading spaces; passes typed values through", () => {
        assert.strictEqual(decode("-2", "integer"), -2);
        assert.strictEqual(decode("1.5", "number"), 1.5);
        assert.strictEqual(decode("1.", "number"), "1.", "not a number as the CLI writes one: kept for the schema to refuse");
        assert.strictEqual(decode("x3", "integer"), "x3");
        assert.strictEqual(decode("false", "boolean"), false);
        assert.deepStrictEqual(decode('  {"day":"Sunday"}', "object"), { day: "Sunday" });
        assert.strictEqual(decode("a,b", "array"), "a,b", "only JSON text is decoded");
        assert.strictEqual(decode(7, "string"), 7);
    });

    it("decodes a fraction of any length, and leaves a list or map key's non-JSON text as text", () => {
        assert.strictEqual(decode("1.25", "number"), 1.25);
        assert.strictEqual(decode("5", "array"), "5", "a bare number is not a list: the schema refuses the text");
        assert.strictEqual(decode("true", "object"), "true");
        assert.deepStrictEqual(decode("\n [1]", "array"), [1]);
    });

    it("names itself ConfigError and lists each problem on its own line, showing a value of exactly 120 characters whole", () => {
        const exact = "A".repeat(118);
        assert.strictEqual(JSON.stringify(exact).length, 120);
        const err = problemsAt(withSet(dev, { acmeEmail: "x", namePrefix: exact, dnsRecordTtl: 1 }));
        assert.strictEqual(err.name, "ConfigError");
        const lines = err.message.split("\n");
        assert.match(lines[0], /^Invalid stack configuration \(\d+ problems\):$/);
        assert.ok(lines.slice(1).every((l) => l.startsWith("  - ")) && lines.length === err.problems.length + 1, err.message);
        assert.ok(err.message.includes(`${JSON.stringify(exact)}:`), "120 characters: not shortened");
    });

    it("calls a wrong nested value wrong, not missing", () => {
        const err = problemsAt(withSet(dev, { apps: [app({ port: 80 })] }));
        const port = err.problems.find((p) => p.key === "apps[0].port");
        assert.ok(port, err.message);
        assert.strictEqual(port.value, 80);
        assert.ok(!port.message.startsWith("is required"), port.message);
    });

    it("tells the default kinds apart from a null default", () => {
        assert.strictEqual(isByEnvironment(null), false);
        assert.strictEqual(isSameAs(null), false);
        assert.strictEqual(isByEnvironment({ kind: "by-environment", values: {} }), true);
        assert.strictEqual(isSameAs({ kind: "same-as", key: "acmeEmail" }), true);
    });

    it("finds the known keys through optional, nullable and defaulted wrappers, list elements and object fields, and none elsewhere", () => {
        const inner = z.strictObject({ a: z.string(), b: z.number() });
        const schema = z.strictObject({
            opt: inner.optional(),
            nul: inner.nullable(),
            both: inner.optional().nullable().default({ a: "x", b: 1 }),
            list: z.array(inner).optional(),
            text: z.string(),
        });
        for (const key of ["opt", "nul", "both"]) assert.deepStrictEqual(knownKeysAt(schema, [key]), ["a", "b"], key);
        assert.deepStrictEqual(knownKeysAt(schema, ["list", 0]), ["a", "b"]);
        assert.deepStrictEqual(knownKeysAt(schema, []), ["opt", "nul", "both", "list", "text"]);
        assert.deepStrictEqual(knownKeysAt(schema, ["list", "0"]), [], "a list is indexed by number");
        assert.deepStrictEqual(knownKeysAt(schema, ["opt", 0]), [], "an object is keyed by name");
        assert.deepStrictEqual(knownKeysAt(schema, ["text"]), [], "a string has no keys");
        assert.deepStrictEqual(knownKeysAt(schema, ["missing", "a"]), [], "an unknown field has no keys below it");
    });

    it("counts an adjacent transposition as one edit", () => {
        assert.strictEqual(editDistance("ab", "ba"), 1);
        assert.strictEqual(editDistance("kitten", "sitting"), 3);
        assert.strictEqual(editDistance("", "abc"), 3);
        assert.strictEqual(editDistance("abc", ""), 3);
        assert.strictEqual(editDistance("same", "same"), 0);
        assert.strictEqual(editDistance("abcd", "acbd"), 1, "a swap in the middle");
        assert.strictEqual(editDistance("abc", "cba"), 2, "not adjacent: two substitutions");
        assert.strictEqual(editDistance("ca", "abc"), 3, "optimal string alignment: a swapped pair is not edited again");
        assert.strictEqual(editDistance("abc", "abd"), 1);
        assert.strictEqual(editDistance("abc", "xabc"), 1);
        assert.strictEqual(editDistance("abcx", "abc"), 1);
    });

    it("suggests within a third of the name's length, an exact match ignoring case, or a name it prefixes", () => {
        assert.strictEqual(closest("HOST", ["host", "port"]), "host");
        assert.strictEqual(closest("abcdxy", ["abcdef"]), "abcdef", "two edits in six letters");
        assert.strictEqual(closest("abcxyz", ["abcdef"]), undefined, "three edits in six letters");
        assert.strictEqual(closest("ab", ["xy", "ax"]), "ax", "one edit is always close enough");
        assert.strictEqual(closest("rep", ["replicas"]), "replicas", "a prefix of a known name");
        assert.strictEqual(closest("hostnames", ["host"]), "host", "a known name as its prefix");
        assert.strictEqual(closest("ab", ["ax", "ay"]), "ax", "a tie goes to the first known name");
        assert.strictEqual(closest("replicax", ["rep", "replicas"]), "replicas", "a close name beats a prefix");
    });

    it("shortens a long value in the message to 120 characters", () => {
        const long = `${"a".repeat(200)}.example.com`;
        const err = problemsAt({ ...dev, acmeEmail: long });
        const line = err.message.split("\n").find((l) => l.includes("acmeEmail"));
        assert.ok(line, err.message);
        assert.ok(line.includes(`${JSON.stringify(long).slice(0, 117)}...:`), line);
        assert.ok(!line.includes(long.slice(0, 130)), line);
        assert.match(problemsAt({ ...dev, acmeEmail: "x" }).message, /acmeEmail = "x": /);
        assert.match(problemsAt({ ...dev, acmeEmail: "x" }).message, /\(1 problem\):/);
    });

    it("judges an unknown environment's other keys by dev's defaults and rules, not prod's", () => {
        const err = problemsAt(withSet(dev, { environment: "qa", systemPoolMinCount: 1, protectResources: false }));
        assert.deepStrictEqual(err.problems.map((p) => p.key), ["environment"]);
    });

    it("skips a cross-key rule when one of its keys is already invalid, so the problem is reported once", () => {
        const err = problemsAt(withSet(dev, { systemPoolMinCount: "two", systemPoolMaxCount: 3 }));
        assert.deepStrictEqual(err.problems.map((p) => p.key), ["systemPoolMinCount"]);
        const zone = problemsAt(withSet(dev, { dnsZoneName: "Bad_Zone" }));
        assert.deepStrictEqual(zone.problems.map((p) => p.key), ["dnsZoneName"], "the parent-zone and app rules read dnsZoneName too");
    });

    it("takes an empty string as a value, and null as not set", () => {
        assert.deepStrictEqual(problemsAt(withSet(dev, { acmeEmail: "" })).problems.map((p) => [p.key, p.value]), [["acmeEmail", ""]]);
        assert.match(problemsAt(withSet(dev, { acmeEmail: null })).problems[0].message, /is required/);
    });

    it("names a missing field inside a list entry as required, with the list's known fields for an unknown one", () => {
        const err = problemsAt(withSet(dev, { apps: [{ name: "a", port: 8080 }] }));
        const missing = err.problems.find((p) => p.key === "apps[0].image");
        assert.ok(missing, err.message);
        assert.match(missing.message, /^is required: it /);
        assert.strictEqual(missing.value, undefined);
        const typo = problemsAt(withSet(dev, { clusterUpgradeWindow: { day: "Sunday", start: "02:00", colour: "red" } }));
        const unknown = typo.problems.find((p) => p.key === "clusterUpgradeWindow.colour");
        assert.ok(unknown, typo.message);
        assert.strictEqual(unknown.value, "red");
        assert.match(unknown.message, /^is not a known key \(known: day, start, durationHours, utcOffset\)$/);
    });

    it("looks up the known fields through lists and defaults, down to an app's egress entry, and suggests the near one", () => {
        const app = { name: "shop", image: "nginx:1.27", port: 8080 };
        const err = problemsAt(withSet(dev, { apps: [app, { ...app, name: "cart", hots: "cart", egress: [{ cidr: "10.0.0.0/8", port: 443, protocl: "TCP" }] }] }));
        const host = err.problems.find((p) => p.key === "apps[1].hots");
        assert.ok(host, err.message);
        assert.strictEqual(host.value, "cart");
        assert.match(host.message, /^is not a known key; did you mean `host`\? \(known: name, image, port, host, replicas, egress\)$/);
        const protocol = err.problems.find((p) => p.key === "apps[1].egress[0].protocl");
        assert.ok(protocol, err.message);
        assert.match(protocol.message, /^is not a known key; did you mean `protocol`\? \(known: cidr, port, protocol\)$/);
    });
});

/**
 * Each syntax rule of a key, from both sides: values the real system takes must pass, near misses must
 * not. Sources: AKS version format (`az aks get-versions`: major.minor.patch, no leading zeros), Azure VM
 * size names (`Standard_` + size), Entra object ids (GUIDs), AKS planned maintenance (start "HH:mm",
 * utcOffset "+HH:mm" from -12:00 to +14:00; learn.microsoft.com/azure/aks/planned-maintenance), the
 * image reference grammar (distribution/reference regexp.go: lowercase path components, an optional
 * registry port, tag up to 128 characters, sha256 digest of 64 hex digits), cert-manager's
 * `--dns01-recursive-nameservers` (ip:port), Azure resource group names (1-90 of letters, digits,
 * `-_.()`, not ending in `.`; learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
 */
const DIGEST = `@sha256:${"a".repeat(64)}`;
const SYNTAX: { key: string; extra?: Record<string, unknown>; wrap?: (v: string) => unknown; accepts: string[]; refuses: string[] }[] = [
    { key: "kubernetesVersion", accepts: ["1.35", "1.35.2", "1.0", "10.100.0"], refuses: ["01.35", "1.035", "1.35.", "1", "1.35.02", "x1.35", "1.35x", "1.35.2.1"] },
    { key: "systemPoolVmSize", accepts: ["Standard_D4ds_v5", "Standard_B2s"], refuses: ["Standard_", "standard_D4ds_v5", "Standard_D4 ds", "xStandard_D4", "Standard_D4-v5"] },
    { key: "clusterAdminGroupObjectIds", wrap: (v) => [v], accepts: ["0123abcd-0000-4000-8000-00000000000f", "0123ABCD-0000-4000-8000-00000000000F"], refuses: ["0123abcd-0000-4000-8000-00000000000", "0123abcd-0000-4000-8000-00000000000fa", "g123abcd-0000-4000-8000-00000000000f", "0123abcd00004000800000000000000f"] },
    { key: "clusterUpgradeWindow", wrap: (v) => ({ day: "Sunday", start: v }), accepts: ["00:00", "23:59", "19:30", "09:05"], refuses: ["24:00", "2:00", "02:60", "002:00", "02:00x", "x02:00"] },
    { key: "clusterUpgradeWindow", wrap: (v) => ({ day: "Sunday", start: "02:00", utcOffset: v }), accepts: ["+00:00", "-05:00", "+14:00", "+13:59", "-12:30", "+09:45"], refuses: ["+14:30", "00:00", "+15:00", "+5:00", "+05:60", "+05:00x", "x+05:00"] },
    {
        key: "apps",
        extra: { demoApp: false },
        wrap: (v) => [{ name: "a", image: v, port: 8080 }],
        accepts: ["registry.example.com/team/app:1.2.3", "nginx:1.29", "localhost:5000/app:1", `r.example.com/a${DIGEST}`, `r.example.com/a:1${DIGEST}`, "r.example.com/my_app:v1", `r.example.com/a:${"t".repeat(128)}`],
        refuses: ["R.example.com/a:1", "r.example.com/a:latest", "r.example.com/a", "r.example.com//a:1", "r.example.com/a:-1", "r.example.com/a@sha256:abc", `r.example.com/a:${"t".repeat(129)}`, "r.example.com/a_:1", "r.example.com/a:1 "],
    },
    { key: "recursiveNameservers", wrap: (v) => [v], accepts: ["1.1.1.1:53", "8.8.8.8:65535", "9.9.9.9:1"], refuses: ["1.1.1.1:0", "1.1.1.1:65536", "1.1.1.1:123456", "1.1.1:53", "[::1]:53", "1.1.1.1:53x", "x1.1.1.1:53", "1.1.1.1:"] },
    { key: "dnsParentZoneResourceGroup", accepts: ["platform-prod-rg", "a(b)_c.d", "r".repeat(90)], refuses: ["rg.", "r".repeat(91), "rg name", "", "rg/x"] },
    { key: "namePrefix", accepts: ["ab", "a1234567890b", "plat"], refuses: ["a", "1ab", "a12345678901b", "a-b", "Ab", "ab "] },
    { key: "vnetAddressSpace", accepts: ["10.10.0.0/16"], refuses: ["10.10.0.1/16", "10.10.0.0/33", "fd00::/8", "10.10.0.0"] },
    { key: "dnsServiceIp", accepts: ["10.0.0.10"], refuses: ["fd00::10", "10.0.0.256", "10.0.0"] },
    { key: "alertWebhookUrl", extra: { monitoringMode: "azure" }, accepts: ["https://hooks.example.com/x"], refuses: ["http://hooks.example.com/x", "not a url", "ftp://hooks.example.com"] },
    { key: "monitoringPodLabels", wrap: (v) => ({ app: v }), accepts: ["prometheus", "a.b_c-d"], refuses: ["-bad", "bad-", "a b", "x".repeat(64)] },
];

describe("config: each key's syntax, from both sides", () => {
    for (const c of SYNTAX) {
        it(`${c.key}${c.wrap ? ` (${JSON.stringify(c.wrap("V"))})` : ""}: accepts ${c.accepts.length}, refuses ${c.refuses.length}`, () => {
            const raw = (v: string): Record<string, unknown> => withSet(dev, { ...c.extra, [c.key]: c.wrap ? c.wrap(v) : v });
            for (const v of c.accepts) assert.doesNotThrow(() => parseConfig(raw(v), "westeurope"), `${c.key} should take ${JSON.stringify(v)}`);
            for (const v of c.refuses) {
                const err = problemsAt(raw(v));
                assert.ok(err.problems.every((p) => p.key.startsWith(c.key)), `${JSON.stringify(v)}: ${err.message}`);
            }
        });
    }

    it("location: an Azure region name, lowercase without spaces", () => {
        assert.doesNotThrow(() => parseConfig(dev, "eastus2"));
        for (const bad of ["West Europe", "west-europe", "WestEurope", ""]) {
            assert.ok(problemsAt(dev, bad).problems.some((p) => p.key === "azure-native:location"), bad);
        }
    });
});

describe("config: app hosts and the demo app", () => {
    const zone = "dev.platform.example.com";
    it("puts a host one label below the zone under the wildcard, and anything deeper or beside it outside", () => {
        assert.deepStrictEqual(resolveHost("shop", undefined, zone, []), { host: `shop.${zone}`, certificate: "wildcard" });
        assert.deepStrictEqual(resolveHost("shop", "store", zone, []), { host: `store.${zone}`, certificate: "wildcard" });
        assert.deepStrictEqual(resolveHost("shop", `store.${zone}`, zone, []), { host: `store.${zone}`, certificate: "wildcard" });
        assert.strictEqual(resolveHost("shop", `a.b.${zone}`, zone, []).certificate, "outside", "the wildcard covers one label only");
        assert.strictEqual(resolveHost("shop", zone, zone, []).certificate, "outside", "the apex is not under *.zone");
        assert.strictEqual(resolveHost("shop", `evil-${zone}`, zone, []).certificate, "outside", "a name that only ends like the zone");
    });

    it("gives a host inside a CNAME zone, or the CNAME zone itself, a certificate of its own", () => {
        assert.deepStrictEqual(resolveHost("shop", "a.b.example.org", zone, ["example.net", "example.org"]), { host: "a.b.example.org", certificate: "dedicated" });
        assert.strictEqual(resolveHost("shop", "example.org", zone, ["example.org"]).certificate, "dedicated");
        assert.strictEqual(resolveHost("shop", "xexample.org", zone, ["example.org"]).certificate, "outside");
    });

    it("adds the demo app after the stack's apps, unless an app already takes its name", () => {
        const withDemo = parseConfig(withSet(dev, { demoApp: true, apps: [app({ name: "shop", egress: [{ cidr: "10.1.0.0/24", port: 5432, protocol: "UDP" }] })] }), "westeurope");
        assert.deepStrictEqual(withDemo.apps.map((a) => a.name), ["shop", DEMO_APP.name]);
        assert.deepStrictEqual(withDemo.apps[0].egress, [{ cidr: "10.1.0.0/24", port: 5432, protocol: "UDP" }]);
        assert.strictEqual(withDemo.apps[1].host, `${DEMO_APP.hostLabel}.${zone}`);
        const taken = parseConfig(withSet(dev, { demoApp: true, apps: [app({ name: DEMO_APP.name, host: "mine" })] }), "westeurope");
        assert.deepStrictEqual(taken.apps.map((a) => a.host), [`mine.${zone}`]);
        assert.deepStrictEqual(parseConfig(withSet(dev, { demoApp: false }), "westeurope").apps, []);
    });

    it("gives the parent zone only when both its name and resource group are set", () => {
        assert.deepStrictEqual(parseConfig(dev, "westeurope").dns.parentZone, { name: "platform.example.com", resourceGroupName: "platform-prod-rg" });
        assert.strictEqual(parseConfig(withSet(dev, { dnsParentZoneName: undefined, dnsParentZoneResourceGroup: undefined }), "westeurope").dns.parentZone, undefined);
    });
});

/** Values exactly at the edge of each cross-key rule: each must pass, so a rule that is off by one fails here. */
const EDGES: { why: string; base?: Record<string, unknown>; set: Record<string, unknown> }[] = [
    { why: "pool minimum equal to its maximum", set: { systemPoolMinCount: 3, systemPoolMaxCount: 3, userPoolMinCount: 2, userPoolMaxCount: 2 } },
    { why: "prod system pool of exactly two nodes", base: prod, set: { systemPoolMinCount: 2 } },
    { why: "prod user pool of one node (the two-node floor is the system pool's)", base: prod, set: { userPoolMinCount: 1 } },
    { why: "no cluster upgrades outside prod", set: { upgradeChannel: "none" } },
    { why: "unmanaged node OS upgrades outside prod", set: { nodeOsUpgradeChannel: "Unmanaged" } },
    { why: "prod in exactly two zones", base: prod, set: { availabilityZones: ["1", "2"] } },
    { why: "prod with exactly two cert-manager and two ingress replicas", base: prod, set: { certManagerReplicas: 2, ingressReplicas: 2 } },
    { why: "prod on the SecurityPatch node OS channel", base: prod, set: { nodeOsUpgradeChannel: "SecurityPatch" } },
    { why: "a /0 authorized range outside prod", set: { apiServerAuthorizedIpRanges: ["0.0.0.0/0"] } },
    { why: "an API server subnet of exactly /28", set: { apiServerSubnetCidr: "10.10.4.0/28" } },
    { why: "the DNS service IP on the first address of the Service CIDR", set: { dnsServiceIp: "10.0.0.0" } },
    { why: "the DNS service IP on the last address of the Service CIDR", set: { dnsServiceIp: "10.0.255.255" } },
    { why: "no parent zone at all (neither key set)", set: { dnsParentZoneName: undefined, dnsParentZoneResourceGroup: undefined } },
    { why: "a CNAME zone that only ends like the platform zone's name", set: { dns01CnameZones: ["xdev.platform.example.com"] } },
    { why: "istio-csr off with no mesh namespace", set: { istioCsrEnabled: false, istioMeshNamespaces: [] } },
];

describe("config: values exactly at a rule's edge are accepted", () => {
    for (const c of EDGES) {
        it(c.why, () => {
            const raw = withSet(c.base ?? dev, c.set);
            assert.doesNotThrow(() => parseConfig(raw, "westeurope"));
        });
    }

    it("a CNAME zone that contains the platform zone is refused too", () => {
        const err = problemsAt({ ...dev, dns01CnameZones: ["example.com"] });
        assert.ok(err.problems.some((p) => p.key === "dns01CnameZones[0]" && /not contain it/.test(p.message)), err.message);
    });

    it("a parent zone name without its resource group names the resource group as missing", () => {
        const err = problemsAt({ ...dev, dnsParentZoneName: undefined });
        assert.ok(err.problems.some((p) => p.key === "dnsParentZoneName" && /set together/.test(p.message)), err.message);
    });
});

describe("config: values as the Pulumi CLI passes them (strings)", () => {
    // pulumi/pulumi sdk/nodejs/config.ts: every value reaches the program as a string; lists and maps as JSON.
    it("decodes integers, booleans, lists and maps by the key's schema type, and keeps what does not decode", () => {
        assert.strictEqual(decode("3", "integer"), 3);
        assert.strictEqual(decode("true", "boolean"), true);
        assert.strictEqual(decode("yes", "boolean"), "yes");
        assert.deepStrictEqual(decode('["1","2"]', "array"), ["1", "2"]);
        assert.strictEqual(decode("[broken", "array"), "[broken");
        assert.strictEqual(decode("3", "string"), "3");
    });

    it("reads the committed stack files (strings and JSON) into the same config as typed values", () => {
        const { raw, location } = rawStack("prod");
        assert.ok(Object.values(raw).every((v) => typeof v === "string"), "the stack reader passes strings, like the CLI");
        const typed = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, /^[[{]/.test(String(v)) ? JSON.parse(String(v)) as unknown : v]));
        assert.deepStrictEqual(parseConfig(raw, location), parseConfig(typed, location));
    });
});

describe("config: valid stacks", () => {
    const parsed: Record<string, PlatformConfig> = {};
    for (const stack of ["dev", "staging", "prod"]) {
        const { raw, location } = rawStack(stack);
        parsed[stack] = parseConfig(raw, location);
    }

    it("returns a deeply frozen config", () => {
        const { raw, location } = rawStack("dev");
        const c = parseConfig(raw, location);
        assert.ok(Object.isFrozen(c) && Object.isFrozen(c.cluster) && Object.isFrozen(c.cluster.systemPool) && Object.isFrozen(c.apps));
        assert.throws(() => { (c.acme as { email: string }).email = "x@y.z"; }, TypeError);
    });

    it("applies per-environment defaults from the key table", () => {
        const minimal = { dnsZoneName: "x.example.com", acmeEmail: "a@example.com", apiServerAuthorizedIpRanges: ["203.0.113.0/24"] };
        const devDefaults = parseConfig({ ...minimal, environment: "dev" }, "westeurope");
        const prodDefaults = parseConfig({ ...minimal, environment: "prod" }, "westeurope");
        assert.strictEqual(devDefaults.acme.issuer, "letsencrypt-staging");
        assert.strictEqual(prodDefaults.acme.issuer, "letsencrypt-production");
        assert.strictEqual(devDefaults.monitoring.mode, "none");
        assert.strictEqual(prodDefaults.monitoring.mode, "azure");
        assert.strictEqual(prodDefaults.protectResources, true);
        assert.strictEqual(devDefaults.protectResources, false);
        assert.strictEqual(prodDefaults.certManager.replicas, 2);
        assert.strictEqual(devDefaults.cluster.systemPool.minCount, 1);
        assert.strictEqual(prodDefaults.cluster.systemPool.minCount, 3);
        // same-as defaults follow the key they copy
        assert.strictEqual(devDefaults.dns.caaIodefEmail, "a@example.com");
        assert.strictEqual(devDefaults.monitoring.alertEmail, "a@example.com");
        assert.deepStrictEqual(devDefaults.cluster.upgradeWindows.cluster, { day: "Sunday", start: "02:00", durationHours: 4, utcOffset: "+00:00" });
    });

    it("stacks differ where real ones would", () => {
        assert.ok(parsed.prod.cluster.systemPool.minCount > parsed.dev.cluster.systemPool.minCount);
        assert.ok(parsed.prod.cluster.availabilityZones.length > parsed.dev.cluster.availabilityZones.length);
        assert.ok(parsed.prod.certManager.replicas >= 2 && parsed.dev.certManager.replicas === 1);
        assert.strictEqual(parsed.prod.acme.issuer, "letsencrypt-production");
        assert.strictEqual(parsed.dev.acme.issuer, "letsencrypt-staging");
        assert.strictEqual(parsed.prod.protectResources, true);
        assert.strictEqual(parsed.dev.protectResources, false);
        assert.strictEqual(parsed.prod.monitoring.mode, "azure");
        assert.strictEqual(parsed.staging.monitoring.mode, "azure");
    });

    it("turns the demo app on in dev and resolves relative app hosts into the zone, under the wildcard", () => {
        assert.ok(parsed.dev.apps.some((a) => a.name === "demo" && a.host === `app.${parsed.dev.dns.zoneName}` && a.certificate === "wildcard"));
        assert.ok(!parsed.prod.apps.some((a) => a.name === "demo"));
        assert.deepStrictEqual(parsed.prod.apps.map((a) => [a.host, a.certificate]), [[`shop.${parsed.prod.dns.zoneName}`, "wildcard"]]);
    });

    it("gives an app in a dns01CnameZones domain its own certificate", () => {
        const c = parseConfig({ ...dev, dns01CnameZones: ["example.org"], apps: [app({ host: "www.example.org" })] }, "westeurope");
        const a = c.apps.find((x) => x.name === "a");
        assert.deepStrictEqual([a?.host, a?.certificate], ["www.example.org", "dedicated"]);
        assert.deepStrictEqual(c.acme.cnameZones, ["example.org"]);
    });

    it("every key is described with an example that passes its own schema", () => {
        for (const [name, def] of Object.entries(KEYS) as [string, KeyDef][]) {
            assert.ok(def.description.length > 10, name);
            assert.ok(def.schema.safeParse(def.example).success, `${name}: its example fails its schema`);
        }
    });

    it("keeps dev and staging delegating into the zone prod creates, in prod's resource group (deploy prod first)", () => {
        const prodGroup = `${parsed.prod.namePrefix}-prod-rg`;
        for (const stack of ["dev", "staging"]) {
            const parent = parsed[stack].dns.parentZone;
            assert.ok(parent, `${stack} has no parent zone`);
            assert.strictEqual(parent.name, parsed.prod.dns.zoneName, `${stack}'s parent zone is not the one prod creates`);
            assert.strictEqual(parent.resourceGroupName, prodGroup, `${stack} looks for ${parent.name} in ${parent.resourceGroupName}, but prod creates it in ${prodGroup}`);
        }
    });
});

describe("stack files", () => {
    it("names the file, line and column of a YAML syntax error", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-yaml-"));
        const file = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(file, "config:\n  aks-platform:environment: dev\n    aks-platform:dnsZoneName: x.example.com\n");
        try {
            assert.throws(() => readStackDocument(file), (e: unknown) => {
                assert.ok(e instanceof StackFileError);
                assert.strictEqual(e.name, "StackFileError");
                assert.match(e.message, /Pulumi\.broken\.yaml:2:29: Nested mappings/);
                assert.ok(!/at line|\n/.test(e.message), `one line, the position given once: ${e.message}`);
                return true;
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads an empty file as no config, and refuses a file or a config: section that is not a map", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-yaml-"));
        const write = (name: string, text: string): string => {
            const file = path.join(dir, `Pulumi.${name}.yaml`);
            fs.writeFileSync(file, text);
            return file;
        };
        try {
            assert.deepStrictEqual(readStackDocument(write("empty", "")), {});
            assert.deepStrictEqual(readStackDocument(write("noconfig", "config:\n")), { config: undefined });
            assert.throws(() => readStackDocument(write("list", "- a\n")), /Pulumi\.list\.yaml: must be a YAML map with a config: section/);
            assert.throws(() => readStackDocument(write("scalar", "hello\n")), /must be a YAML map/);
            assert.throws(() => readStackDocument(write("cfglist", "config:\n  - a\n")), /Pulumi\.cfglist\.yaml: config: must be a map of keys to values/);
            assert.throws(() => readStackDocument(write("cfgscalar", "config: x\n")), /config: must be a map/);
            fs.writeFileSync(path.join(dir, "README.md"), "not a stack");
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x");
            fs.writeFileSync(path.join(dir, "Pulumi.old.yaml.bak"), "config:\n");
            fs.writeFileSync(path.join(dir, "copy-of-Pulumi.other.yaml"), "config:\n");
            assert.deepStrictEqual(listStacks(dir), ["cfglist", "cfgscalar", "empty", "list", "noconfig", "scalar"]);
            assert.throws(() => readStackConfig("qa", dir), (e: unknown) => e instanceof StackFileError && /no stack file .*Pulumi\.qa\.yaml; stacks: cfglist, cfgscalar, empty/.test(e.message));
            write("typed", "config:\n  aks-platform:n: 3\n  aks-platform:on: true\n  aks-platform:list: [a, 1]\n  aks-platform:s: text\n  other:k: v\n");
            const config = readStackConfig("typed", dir);
            assert.deepStrictEqual(config, { "aks-platform:n": "3", "aks-platform:on": "true", "aks-platform:list": '["a",1]', "aks-platform:s": "text", "other:k": "v" });
            assert.deepStrictEqual(projectKeys({ ...config, "azure-native:location": "westeurope" }), { raw: { n: "3", on: "true", list: '["a",1]', s: "text" }, location: "westeurope" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
