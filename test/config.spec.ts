import * as assert from "assert";
import { CONFIG_KEYS, ConfigError, parseConfig, PlatformConfig, PROJECT, RawConfig } from "../components/config";
import { readStackConfig } from "../plan/stack-config";
import { runProgram } from "../plan/program";

/** A stack file's project keys, without the `aks-platform:` prefix, structured values decoded. */
function rawStack(stack: string): { raw: Record<string, unknown>; location: string | undefined } {
    const raw: Record<string, unknown> = {};
    let location: string | undefined;
    for (const [key, value] of Object.entries(readStackConfig(stack))) {
        if (key === "azure-native:location") location = value;
        else if (key.startsWith(`${PROJECT}:`)) raw[key.slice(PROJECT.length + 1)] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
    return { raw, location };
}

function problemsOf(raw: RawConfig, location: string | undefined = "westeurope"): ConfigError {
    return problemsAt(raw, location);
}

function problemsAt(raw: RawConfig, location: string | undefined): ConfigError {
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

interface BadCase {
    why: string;
    base?: Record<string, unknown>;
    set: Record<string, unknown>;
    /** The key the problem must name. */
    key: string;
    /** A fragment of the explanation (what is allowed). */
    says: RegExp;
}

const BAD: BadCase[] = [
    { why: "zone name not an FQDN", set: { dnsZoneName: "localhost" }, key: "dnsZoneName", says: /fully qualified domain name/ },
    { why: "zone name with a trailing dot", set: { dnsZoneName: "dev.example.com." }, key: "dnsZoneName", says: /without a trailing dot/ },
    { why: "zone name with uppercase and underscore", set: { dnsZoneName: "Dev_Zone.example.com" }, key: "dnsZoneName", says: /lowercase/ },
    { why: "zone name missing", set: { dnsZoneName: undefined }, key: "dnsZoneName", says: /is required/ },
    { why: "ACME email invalid", set: { acmeEmail: "platform-team" }, key: "acmeEmail", says: /email address/ },
    { why: "ACME email missing", set: { acmeEmail: undefined }, key: "acmeEmail", says: /is required/ },
    { why: "CAA iodef email invalid", set: { caaIodefEmail: "not an email" }, key: "caaIodefEmail", says: /email address/ },
    { why: "Kubernetes version with a v prefix", set: { kubernetesVersion: "v1.33" }, key: "kubernetesVersion", says: /major\.minor/ },
    { why: "Kubernetes version with four parts", set: { kubernetesVersion: "1.33.2.1" }, key: "kubernetesVersion", says: /major\.minor or major\.minor\.patch/ },
    { why: "system pool min above max", set: { systemPoolMinCount: 5, systemPoolMaxCount: 3 }, key: "systemPoolMinCount", says: /must not exceed systemPoolMaxCount/ },
    { why: "user pool min above max", set: { userPoolMinCount: 4, userPoolMaxCount: 2 }, key: "userPoolMinCount", says: /must not exceed userPoolMaxCount/ },
    { why: "system pool min zero", set: { systemPoolMinCount: 0 }, key: "systemPoolMinCount", says: /from 1 to 100/ },
    { why: "user pool max out of range", set: { userPoolMaxCount: 5000 }, key: "userPoolMaxCount", says: /from 1 to 1000/ },
    { why: "node count not a whole number", set: { userPoolMinCount: "two" }, key: "userPoolMinCount", says: /whole number/ },
    { why: "VM size empty", set: { systemPoolVmSize: "" }, key: "systemPoolVmSize", says: /Azure VM size/ },
    { why: "VM size not an Azure size", set: { userPoolVmSize: "large" }, key: "userPoolVmSize", says: /Standard_D4ds_v5/ },
    { why: "authorized range not a CIDR", set: { apiServerAuthorizedIpRanges: ["203.0.113.7"] }, key: "apiServerAuthorizedIpRanges[0]", says: /IPv4 CIDR/ },
    { why: "authorized range with host bits set", set: { apiServerAuthorizedIpRanges: ["203.0.113.7/24"] }, key: "apiServerAuthorizedIpRanges[0]", says: /host bits zero/ },
    { why: "0.0.0.0/0 authorized in prod", base: prod, set: { apiServerAuthorizedIpRanges: ["0.0.0.0/0"] }, key: "apiServerAuthorizedIpRanges[0]", says: /not be 0\.0\.0\.0\/0 in prod/ },
    { why: "no authorized ranges in prod", base: prod, set: { apiServerAuthorizedIpRanges: [] }, key: "apiServerAuthorizedIpRanges", says: /at least one CIDR in prod/ },
    { why: "unknown environment", set: { environment: "qa" }, key: "environment", says: /one of dev, staging, prod/ },
    { why: "environment missing", set: { environment: undefined }, key: "environment", says: /is required/ },
    { why: "prod on the staging ACME server", base: prod, set: { issuer: "letsencrypt-staging" }, key: "issuer", says: /must be letsencrypt-production in prod/ },
    { why: "unknown issuer", set: { issuer: "letsencrypt" }, key: "issuer", says: /one of letsencrypt-staging, letsencrypt-production/ },
    { why: "app name not a DNS-1123 label", set: { apps: [{ name: "My_App", image: "r.example.com/a:1", port: 8080 }] }, key: "apps[0].name", says: /DNS-1123 label/ },
    { why: "app name collides with kube-system", set: { apps: [{ name: "kube-system", image: "r.example.com/a:1", port: 8080 }] }, key: "apps[0].name", says: /collides with a system or platform namespace/ },
    { why: "app name collides with cert-manager", set: { apps: [{ name: "cert-manager", image: "r.example.com/a:1", port: 8080 }] }, key: "apps[0].name", says: /collides/ },
    { why: "duplicate app hosts", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 8080, host: "shop" }, { name: "b", image: "r.example.com/b:1", port: 8080, host: "shop" }] }, key: "apps[1].host", says: /duplicates the host/ },
    { why: "duplicate app names", set: { demoApp: false, apps: [{ name: "a", image: "r.example.com/a:1", port: 8080 }, { name: "a", image: "r.example.com/a:2", port: 8081, host: "a2" }] }, key: "apps[1].name", says: /app names must be unique/ },
    { why: "app host outside the zone", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 8080, host: "a.other.org" }] }, key: "apps[0].host", says: /one label below the zone/ },
    { why: "app host two labels deep (wildcard does not cover it)", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 8080, host: "x.y.dev.platform.example.com" }] }, key: "apps[0].host", says: /wildcard certificate covers exactly that/ },
    { why: "app image on latest", set: { apps: [{ name: "a", image: "r.example.com/a:latest", port: 8080 }] }, key: "apps[0].image", says: /pin a tag or digest/ },
    { why: "app port privileged", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 80 }] }, key: "apps[0].port", says: /1024 or above/ },
    { why: "app egress CIDR 0.0.0.0/0", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 8080, egress: [{ cidr: "0.0.0.0/0", port: 443 }] }] }, key: "apps[0].egress[0].cidr", says: /not be 0\.0\.0\.0\/0/ },
    { why: "app egress port out of range", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 8080, egress: [{ cidr: "10.1.0.0/24", port: 70000 }] }] }, key: "apps[0].egress[0].port", says: /from 1 to 65535/ },
    { why: "app egress protocol unknown", set: { apps: [{ name: "a", image: "r.example.com/a:1", port: 8080, egress: [{ cidr: "10.1.0.0/24", port: 5432, protocol: "ICMP" }] }] }, key: "apps[0].egress[0].protocol", says: /TCP or UDP/ },
    { why: "apps not a list", set: { apps: { name: "a" } }, key: "apps", says: /must be a list/ },
    { why: "recursive nameserver without port", set: { recursiveNameservers: ["1.1.1.1"] }, key: "recursiveNameservers[0]", says: /address and port/ },
    { why: "node subnet outside the VNet", set: { nodeSubnetCidr: "10.99.0.0/22" }, key: "nodeSubnetCidr", says: /inside vnetAddressSpace/ },
    { why: "API server subnet smaller than /28", set: { apiServerSubnetCidr: "10.10.4.0/29" }, key: "apiServerSubnetCidr", says: /\/28 or larger/ },
    { why: "API server subnet overlapping nodes", set: { apiServerSubnetCidr: "10.10.0.0/28" }, key: "apiServerSubnetCidr", says: /not overlap nodeSubnetCidr/ },
    { why: "pod CIDR overlapping the VNet", set: { podCidr: "10.10.0.0/16" }, key: "podCidr", says: /not overlap vnetAddressSpace/ },
    { why: "DNS service IP outside the Service CIDR", set: { dnsServiceIp: "10.1.0.10" }, key: "dnsServiceIp", says: /inside serviceCidr/ },
    { why: "availability zone unknown", set: { availabilityZones: ["1", "4"] }, key: "availabilityZones[1]", says: /"1", "2" or "3"/ },
    { why: "prod with one zone", base: prod, set: { availabilityZones: ["1"] }, key: "availabilityZones", says: /at least 2 zones in prod/ },
    { why: "prod with one cert-manager replica", base: prod, set: { certManagerReplicas: 1 }, key: "certManagerReplicas", says: /at least 2 in prod/ },
    { why: "prod with one ingress replica", base: prod, set: { ingressReplicas: 1 }, key: "ingressReplicas", says: /at least 2 in prod/ },
    { why: "prod unprotected", base: prod, set: { protectResources: false }, key: "protectResources", says: /must be true in prod/ },
    { why: "prod without upgrades", base: prod, set: { upgradeChannel: "none" }, key: "upgradeChannel", says: /not be none in prod/ },
    { why: "unknown upgrade channel", set: { upgradeChannel: "weekly" }, key: "upgradeChannel", says: /one of patch, stable, rapid, node-image, none/ },
    { why: "admin group not a GUID", set: { clusterAdminGroupObjectIds: ["platform-admins"] }, key: "clusterAdminGroupObjectIds[0]", says: /GUID/ },
    { why: "parent zone without its resource group", set: { dnsParentZoneResourceGroup: undefined }, key: "dnsParentZoneResourceGroup", says: /set together/ },
    { why: "parent zone not a parent", set: { dnsParentZoneName: "example.org" }, key: "dnsParentZoneName", says: /must be a parent of dnsZoneName/ },
    { why: "record TTL too low", set: { dnsRecordTtl: 5 }, key: "dnsRecordTtl", says: /from 60 to 86400/ },
    { why: "boolean key with a word", set: { http01Enabled: "yes" }, key: "http01Enabled", says: /true or false/ },
    { why: "monitoring labels with bad syntax", set: { monitoringPodLabels: { "bad key!": "x" } }, key: "monitoringPodLabels", says: /label syntax/ },
    { why: "monitoring namespace not a label", set: { monitoringNamespace: "Monitoring" }, key: "monitoringNamespace", says: /DNS-1123 label/ },
    { why: "unknown key (typo)", set: { dnsZoneNmae: "x.example.com" }, key: "dnsZoneNmae", says: /not a known key/ },
    { why: "mesh namespace not a DNS-1123 label", set: { istioMeshNamespaces: ["Istio_System"] }, key: "istioMeshNamespaces[0]", says: /DNS-1123 label/ },
    { why: "istio-csr on with no mesh namespace", set: { istioCsrEnabled: true, istioMeshNamespaces: [] }, key: "istioMeshNamespaces", says: /at least one namespace/ },
    { why: "name prefix with uppercase", set: { namePrefix: "Platform" }, key: "namePrefix", says: /lowercase letters and digits/ },
];

describe("config: bad input gets a clear error naming key, value and fix", () => {
    it("has at least 30 bad-input cases", () => assert.ok(BAD.length >= 30, `only ${BAD.length}`));

    for (const c of BAD) {
        it(c.why, () => {
            const raw: Record<string, unknown> = { ...(c.base ?? dev) };
            for (const [k, v] of Object.entries(c.set)) {
                if (v === undefined) delete raw[k];
                else raw[k] = v;
            }
            const err = problemsOf(raw);
            const problem = err.problems.find((p) => p.key === c.key);
            assert.ok(problem, `no problem for ${c.key}; got: ${err.problems.map((p) => p.key).join(", ")}`);
            assert.match(problem.message, c.says);
            // The rendered message names the full key and the offending value.
            assert.ok(err.message.includes(`${PROJECT}:${c.key} = `), err.message);
            if (c.key in c.set && c.set[c.key] !== undefined) assert.ok(err.message.includes(JSON.stringify(c.set[c.key]).slice(0, 40)), err.message);
        });
    }

    it("lists every problem in one error, not just the first", () => {
        const err = problemsOf({ ...dev, dnsZoneName: "nope", acmeEmail: "x", kubernetesVersion: "latest", environment: "qa" });
        const keys = err.problems.map((p) => p.key).sort();
        assert.deepStrictEqual(keys, ["acmeEmail", "dnsZoneName", "environment", "kubernetesVersion"]);
        assert.match(err.message, /4 problems/);
    });

    it("requires azure-native:location", () => {
        const err = problemsAt(dev, undefined);
        assert.ok(err.problems.some((p) => p.key === "azure-native:location" && /pulumi config set azure-native:location/.test(p.message)));
    });

    it("creates no resource when the config is bad (the program fails before registering anything)", async () => {
        await assert.rejects(
            runProgram("dev", { configOverrides: { [`${PROJECT}:dnsZoneName`]: "bad zone" } }),
            (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.key === "dnsZoneName"),
        );
    });
});

describe("config: valid stacks", () => {
    const parsed: Record<string, PlatformConfig> = {};
    for (const stack of ["dev", "staging", "prod"]) {
        const { raw, location } = rawStack(stack);
        parsed[stack] = parseConfig(raw, location);
    }

    it("returns a deeply frozen config", () => {
        const c = parsed.dev;
        assert.ok(Object.isFrozen(c) && Object.isFrozen(c.cluster) && Object.isFrozen(c.cluster.systemPool) && Object.isFrozen(c.apps));
        assert.throws(() => { (c.acme as { email: string }).email = "x@y.z"; }, TypeError);
    });

    it("defaults the issuer by environment: staging outside prod, production in prod", () => {
        const { raw } = rawStack("staging");
        const withoutIssuer = { ...raw };
        delete withoutIssuer.issuer;
        assert.strictEqual(parseConfig(withoutIssuer, "westeurope").acme.issuer, "letsencrypt-staging");
        const p = { ...prod };
        delete p.issuer;
        assert.strictEqual(parseConfig(p, "westeurope").acme.issuer, "letsencrypt-production");
    });

    it("stacks differ where real ones would", () => {
        assert.ok(parsed.prod.cluster.systemPool.minCount > parsed.dev.cluster.systemPool.minCount);
        assert.ok(parsed.prod.cluster.availabilityZones.length > parsed.dev.cluster.availabilityZones.length);
        assert.ok(parsed.prod.certManager.replicas >= 2 && parsed.dev.certManager.replicas === 1);
        assert.strictEqual(parsed.prod.acme.issuer, "letsencrypt-production");
        assert.strictEqual(parsed.dev.acme.issuer, "letsencrypt-staging");
        assert.strictEqual(parsed.prod.protectResources, true);
        assert.strictEqual(parsed.dev.protectResources, false);
    });

    it("turns the demo app on in dev and resolves relative app hosts into the zone", () => {
        assert.ok(parsed.dev.apps.some((a) => a.name === "demo" && a.host === `app.${parsed.dev.dns.zoneName}`));
        assert.ok(!parsed.prod.apps.some((a) => a.name === "demo"));
        assert.deepStrictEqual(parsed.prod.apps.map((a) => a.host), [`shop.${parsed.prod.dns.zoneName}`]);
    });

    it("every key read by the program is described, and stack files only use known keys", () => {
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) assert.ok(spec.description.length > 10, key);
        for (const stack of ["dev", "staging", "prod"]) {
            for (const key of Object.keys(rawStack(stack).raw)) assert.ok(key in CONFIG_KEYS, `${stack}: ${key}`);
        }
    });
});
