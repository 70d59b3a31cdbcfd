import * as assert from "assert";
import { STACKS, stackRun } from "../support/runs";
import { validateObject } from "../support/schema";
import { isManifest, manifestOf } from "../../plan/manifests";

describe("every Kubernetes object the stack emits validates against its schema", () => {
    for (const stack of STACKS) {
        it(`${stack}`, async () => {
            const objects = (await stackRun(stack)).resources.filter(isManifest);
            assert.ok(objects.length >= 10, `only ${objects.length} objects`);
            const errors: string[] = [];
            for (const r of objects) {
                try {
                    validateObject(manifestOf(r));
                } catch (e) {
                    errors.push(e instanceof Error ? e.message : String(e));
                }
            }
            assert.deepStrictEqual(errors, []);
        });
    }

    it("rejects a wrong field (the validator is not a no-op)", () => {
        assert.throws(() => validateObject({
            apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "x", namespace: "y" },
            spec: { secretName: "s", dnsNames: ["a.example.com"], issuerRef: { name: "i", kind: "ClusterIssuer" }, privateKey: { algorithm: "DSA" } },
        }), /Certificate y\/x/);
        assert.throws(() => validateObject({
            apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "x", namespace: "y" },
            spec: { podSelector: {}, policyTypes: ["Sideways"] },
        }), /NetworkPolicy y\/x/);
        assert.throws(() => validateObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "x", labels: { a: true } } }), /Namespace x/);
        assert.throws(() => validateObject({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }), /no schema/);
    });
});
