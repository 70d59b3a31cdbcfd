/** The fast (bitset) matrix must equal the per-pair reference evaluator on generated clusters. */
import * as assert from "assert";
import { analyze, buildModel, referenceMatrix } from "../../policy-pack/analysis";
import type { Probe } from "../../policy-pack/analysis";
import { generateCluster } from "../../bench/netpol-generator";

const probes: Probe[] = [{ port: 80, protocol: "TCP" }, { port: 8080, protocol: "TCP" }, { port: 53, protocol: "UDP" }, { port: 3868, protocol: "SCTP" }];

describe("analysis: fast matrix equals the reference evaluator", () => {
    for (const cilium of [false, true]) {
        for (const uncertain of [false, true]) {
            it(`generated cluster, ${cilium ? "cilium" : "kubernetes"} mode${uncertain ? ", with unknown values, unmodelled rules and missing Namespace objects" : ""}`, () => {
                const g = generateCluster({ pods: 60, policies: 120, seed: 3, cilium, uncertain });
                const options = { dataplane: cilium ? ("cilium" as const) : ("kubernetes" as const), externals: g.externals };
                const fast = analyze(g.objects, options).matrix(probes);
                const reference = referenceMatrix(buildModel(g.objects, options), probes);
                assert.deepStrictEqual(fast, reference);
                const counts = { allowed: 0, denied: 0, inconclusive: 0 };
                for (const rows of Object.values(fast)) for (const row of Object.values(rows)) for (const s of Object.values(row)) counts[s]++;
                // Every verdict occurs, so the comparison covers all three; without uncertainty there is no inconclusive cell.
                assert.ok(counts.allowed > 0 && counts.denied > 0, JSON.stringify(counts));
                assert.strictEqual(counts.inconclusive > 0, uncertain, JSON.stringify(counts));
            });
        }
    }
});
