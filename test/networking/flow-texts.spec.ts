/**
 * What people read about the flows (policy annotations, the flows table and diagram) and the names
 * Kubernetes must accept, for every stack and for the optional parts no stack turns on (istio-csr).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PlatformConfig, PROJECT } from "../../components/config";
import { platformFlows } from "../../components/networking/flows";
import { platformPolicies } from "../../components/networking/policies";
import { NetworkPolicies } from "../../components/networking/network-policies";
import { FLOWS_END_MARKER, FLOWS_START_MARKER, flowsBlock, renderFlowsMarkdown, updateFlowsDoc } from "../../components/networking/docs";
import { policyMetadata } from "../../components/facts";
import { PlatformMocks } from "../../plan/mocks";
import { STACKS } from "../support/runs";
import { stackConfig } from "./support";

const CONFIGS: [string, () => PlatformConfig][] = [
    ...STACKS.map((s): [string, () => PlatformConfig] => [s, () => stackConfig(s)]),
    ["dev with istio-csr", () => stackConfig("dev", { istioCsrEnabled: true, istioMeshNamespaces: ["istio-system", "shop"] })],
];

/** A DNS-1123 subdomain, the rule for NetworkPolicy names (k8s apimachinery validation IsDNS1123Subdomain). */
const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe("flow texts and names", () => {
    for (const [name, config] of CONFIGS) {
        it(`${name}: every flow says why and names both ends; every policy carries its flow's why`, () => {
            const flows = platformFlows(config());
            assert.ok(flows.length > 0);
            for (const f of flows) {
                assert.ok(f.why.trim().length > 0, `${f.name}: why`);
                assert.ok(f.source.label.trim().length > 0 && f.destination.label.trim().length > 0, `${f.name}: labels`);
                // A metrics flow is named after the workload it scrapes: `<source>-to-<target>-metrics`.
                const scraped = /-to-(.*)-metrics$/.exec(f.name)?.[1];
                if (scraped !== undefined) {
                    const target = f.destination.label.toLowerCase().replace(/ /g, "-");
                    assert.ok(scraped.length > 0 && target.endsWith(scraped), `${f.name} names its target ${f.destination.label}`);
                }
            }
            for (const p of platformPolicies(config())) {
                const annotations = (p.metadata.annotations ?? {}) as Record<string, string>;
                if (annotations[policyMetadata.flowAnnotation] !== undefined) assert.ok((annotations[policyMetadata.whyAnnotation] ?? "").length > 0, p.metadata.name);
                assert.match(p.metadata.name, DNS1123_SUBDOMAIN, `${p.metadata.namespace}/${p.metadata.name}`);
            }
        });
    }

    it("an app's declared egress becomes a flow per entry, named by its CIDR, port and lowercase protocol, distinct per CIDR", () => {
        const base = stackConfig("prod");
        const app = { ...base.apps[0], egress: [{ cidr: "10.10.0.0/16", port: 5432, protocol: "TCP" as const }, { cidr: "101.0.0.0/16", port: 5432, protocol: "TCP" as const }] };
        const flows = platformFlows({ ...base, apps: [app] }).filter((f) => f.destination.kind === "cidr" && f.source.kind === "workload" && f.source.namespace === app.name);
        assert.strictEqual(flows.length, 2);
        assert.strictEqual(new Set(flows.map((f) => f.name)).size, 2);
        for (const f of flows) {
            assert.match(f.name, DNS1123_SUBDOMAIN);
            assert.ok(f.name.endsWith("-5432-tcp"), f.name);
            assert.ok(f.destination.label.includes(app.name), f.destination.label);
        }
    });

    it("the flows table lists a flow's several CIDRs and exceptions separated, one row per flow", () => {
        const text = renderFlowsMarkdown(stackConfig("prod"));
        const rows = text.trimEnd().split("\n");
        assert.strictEqual(rows.length, 2 + 2 + platformFlows(stackConfig("prod")).length);
        // The internet endpoint (ACME) excepts several private ranges: each stays readable.
        assert.match(text, /except `10\.0\.0\.0\/8, /);
    });

    describe("the flows block of a page", () => {
        it("is found when the page starts with it, and not when its end marker comes first", () => {
            assert.strictEqual(flowsBlock(`${FLOWS_START_MARKER}X${FLOWS_END_MARKER}`), "X");
            assert.strictEqual(flowsBlock(`${FLOWS_END_MARKER}X${FLOWS_START_MARKER}`), undefined);
        });

        it("is appended after one blank line however many the page ends with", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flows-doc-"));
            const page = path.join(dir, "flows.md");
            fs.writeFileSync(page, "# Flows\n\n\n\n");
            assert.strictEqual(updateFlowsDoc(page, stackConfig("dev")), true);
            assert.ok(fs.readFileSync(page, "utf8").startsWith("# Flows\n\n## Network flows\n"));
            fs.rmSync(dir, { recursive: true });
        });
    });

    it("NetworkPolicies refuses a policy whose namespace the platform does not create, before creating it", async () => {
        await pulumi.runtime.setMocks(new PlatformMocks(), PROJECT, "flow-texts", false);
        let message = "";
        await pulumi.runtime.runInPulumiStack(async () => {
            const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
            try {
                new NetworkPolicies("network-policies", { config: stackConfig("dev"), namespaces: {} }, { providers: [provider] });
            } catch (e) {
                message = e instanceof Error ? e.message : String(e);
            }
            return {};
        });
        await pulumi.runtime.disconnect();
        assert.match(message, /namespace \S+ is not one the platform creates/);
    });
});
