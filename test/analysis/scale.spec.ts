/**
 * The analyzer stays exact at scale: the prod stack plus 300 generated app namespaces (bench/
 * policy.bench.ts generateStack: each with its default deny, DNS, ingress and egress policies and a
 * CiliumNetworkPolicy), evaluated like the offline plan does (chart pods + the stack's objects, Cilium
 * mode). The fast cells must equal the straightforward reference evaluator on sampled cells (whole rows
 * and columns of the platform's pods and of some apps, plus a spread of others); the full-size
 * comparison of every cell is in the benchmark (bench/analysis.bench.ts).
 */
import * as assert from "assert";
import { analyze, buildModel, evaluatePair } from "../../policy-pack/analysis";
import type { Probe } from "../../policy-pack/analysis";
import { generateStack } from "../../bench/policy.bench";
import { isManifest, manifestOf } from "../../plan/manifests";
import { externalEndpoints } from "../../plan/reachability";
import { stackPlatformConfig } from "../../plan/stack-config";
import { platformPods, podObjects } from "../../plan/workloads";
import { stackRun } from "../support/runs";

const PROBES: Probe[] = [{ port: 53, protocol: "UDP" }, { port: 8080, protocol: "TCP" }, { port: 443, protocol: "TCP" }, { port: 10250, protocol: "TCP" }];

describe("analysis at scale: prod plus 300 generated apps, fast cells equal the reference", function () {
    this.timeout(120_000);

    it("on whole rows and columns of the platform's pods and of sampled apps, and on a spread of other cells", async () => {
        const resources = generateStack(300, (await stackRun("prod")).resources);
        const config = stackPlatformConfig("prod");
        const objects = [...podObjects(platformPods(config)), ...resources.filter(isManifest).map(manifestOf)];
        const options = { dataplane: "cilium" as const, externals: externalEndpoints(config) };
        const analysis = analyze(objects, options);
        const model = buildModel(objects, options);
        const ids = analysis.endpoints.map((e) => e.id);
        assert.ok(ids.length > 300 && model.policies.length > 1200, `${ids.length} endpoints, ${model.policies.length} policies`);
        const byId = new Map(model.endpoints.map((e) => [e.id, e]));
        const focus = ["nginx-ingress/nginx-ingress-controller", "kube-system/coredns", "app-150/app-150"].map((id) => ids.indexOf(id));
        assert.ok(focus.every((i) => i >= 0), "the focus endpoints exist");
        let checked = 0;
        const counts = { allowed: 0, denied: 0, inconclusive: 0 };
        for (const probe of PROBES) {
            const { allowed, possible } = analysis.cells(probe, ids, ids);
            const cells = new Set<number>();
            // Whole rows and columns on DNS and the apps' port; a spread on every probe.
            if (probe.port === 53 || probe.port === 8080) for (const f of focus) for (let k = 0; k < ids.length; k++) { cells.add(f * ids.length + k); cells.add(k * ids.length + f); }
            for (let b = 7; b < ids.length * ids.length; b += 401) cells.add(b);
            for (const b of cells) {
                const from = ids[Math.floor(b / ids.length)];
                const to = ids[b % ids.length];
                const bit = 1 << (b & 31);
                const fast = (allowed[b >>> 5] & bit) !== 0 ? "allowed" : (possible[b >>> 5] & bit) !== 0 ? "inconclusive" : "denied";
                const reference = evaluatePair(model, byId.get(from) ?? assert.fail(from), byId.get(to) ?? assert.fail(to), probe, false).status;
                assert.strictEqual(fast, reference, `${probe.port}/${probe.protocol} ${from} -> ${to}`);
                counts[fast]++;
                checked++;
            }
        }
        assert.ok(checked > 4000 && counts.allowed > 300 && counts.denied > 300, `${checked} cells: ${JSON.stringify(counts)}`);
        // The platform's shape holds at this size: the ingress controller reaches each app, apps do not reach each other.
        const m = analysis.matrix([{ port: 8080, protocol: "TCP" }], { from: ["nginx-ingress/nginx-ingress-controller", "app-042/app-042"], to: ["app-150/app-150", "app-299/app-299"] });
        assert.deepStrictEqual(m["8080/TCP"], {
            "nginx-ingress/nginx-ingress-controller": { "app-150/app-150": "allowed", "app-299/app-299": "allowed" },
            "app-042/app-042": { "app-150/app-150": "denied", "app-299/app-299": "denied" },
        });
    });
});
