/**
 * The harness: the real program under mocks for each stack, every resource captured as the engine
 * hands it to policies, every rule run as the engine runs it. No stack may have a violation.
 */
import * as assert from "node:assert/strict";
import { STACKS } from "../support/runs";
import { stackPolicyResult } from "./stacks";

describe("policy harness: the real stacks", function () {
    this.timeout(60_000);

    for (const stack of STACKS) {
        describe(`stack ${stack}`, () => {
            it("has zero mandatory violations", async () => {
                const { result } = await stackPolicyResult(stack);
                const mandatory = result.findings.filter((f) => f.enforcementLevel === "mandatory");
                assert.deepEqual(mandatory.map((f) => `${f.policy}: ${f.message}`), []);
            });
            it("has no advisory violations and nothing undecided (every value is known under mocks)", async () => {
                const { result } = await stackPolicyResult(stack);
                assert.deepEqual(result.findings.map((f) => `${f.policy}: ${f.message}`), []);
            });
            it("gives every rule something to judge that the stack has", async () => {
                const { resources } = await stackPolicyResult(stack);
                const types = new Set(resources.map((r) => r.type));
                for (const t of [
                    "kubernetes:core/v1:Namespace",
                    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                    "kubernetes:cilium.io/v2:CiliumNetworkPolicy",
                    "kubernetes:helm.sh/v3:Release",
                    "kubernetes:cert-manager.io/v1:ClusterIssuer",
                    "kubernetes:cert-manager.io/v1:Certificate",
                    "kubernetes:networking.k8s.io/v1:Ingress",
                    "azure-native:containerservice:ManagedCluster",
                    "azure-native:authorization:RoleAssignment",
                ]) assert.ok(types.has(t), `stack ${stack} emits no ${t}: the rules on it prove nothing here`);
            });
        });
    }

    it("judges cert-manager's HA in prod only (the rule is not applicable elsewhere)", async () => {
        const na = async (stack: string) => (await stackPolicyResult(stack)).result.notApplicable.some((n) => n.policy === "cert-manager-ha");
        assert.equal(await na("prod"), false);
        assert.equal(await na("dev"), true);
    });
});
