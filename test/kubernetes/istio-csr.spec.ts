/** istio-csr, off by default, on through config: pinned release, internal CA issuer, its own default-deny namespace. */
import * as assert from "assert";
import { at, ofType } from "../support/runs";
import { shared } from "../support/shared";
import { validateObject } from "../support/schema";
import { runProgram, ProgramRun } from "../../plan/program";
import { isManifest, manifestOf } from "../../plan/manifests";
import { internalCa, istioCsr } from "../../components/facts";
import { istioCsrSettings, istioCsrValues } from "../../components/kubernetes/istio-csr";
import { stackPlatformConfig } from "../../plan/stack-config";
import { mandatoryViolations, runPolicies } from "../../policy-pack/engine";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("istio-csr (optional)", () => {
    let run: ProgramRun;
    beforeEach(async () => {
        run = await shared("staging with istio-csr on", () => runProgram("staging", { configOverrides: { "aks-platform:istioCsrEnabled": "true", "aks-platform:istioMeshNamespaces": JSON.stringify(["istio-system", "shop"]) } }));
    });

    it("is not installed unless enabled", () => {
        assert.strictEqual(stackPlatformConfig("prod").istioCsr.enabled, false);
    });

    it("installs the pinned chart into its own namespace, after the internal CA issuer", () => {
        const release = ofType(run.resources, RELEASE).find((r) => r.props.chart === istioCsr.chart);
        assert.ok(release);
        assert.match(String(release.props.version), /^v\d+\.\d+\.\d+$/);
        assert.strictEqual(release.props.namespace, istioCsr.namespace);
        const caIssuer = ofType(run.resources, "kubernetes:cert-manager.io/v1:ClusterIssuer").find((r) => at(r.props, "metadata.name") === internalCa.caIssuerName);
        assert.ok(caIssuer && release.dependencies.includes(caIssuer.urn));
        assert.deepStrictEqual(at(release.props.values, "app.certmanager.issuer"), { enabled: true, name: internalCa.caIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" });
    });

    it("gives its namespace default deny and DNS like every managed namespace", () => {
        const policies = ofType(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((r) => at(r.props, "metadata.namespace") === istioCsr.namespace);
        const names = policies.map((r) => String(at(r.props, "metadata.name")));
        assert.ok(names.includes("default-deny") && names.includes("allow-dns"), names.join(", "));
        assert.ok(ofType(run.resources, "kubernetes:core/v1:Namespace").some((r) => at(r.props, "metadata.name") === istioCsr.namespace));
    });

    it("enforces, audits and warns Pod Security restricted in its namespace, labelled with its role", () => {
        // Restricted is what the chart's pods pass: its default securityContext is non-root, no privilege
        // escalation, read-only root, all capabilities dropped, seccomp RuntimeDefault
        // (github.com/cert-manager/istio-csr, deploy/charts/istio-csr/values.yaml, securityContext).
        const ns = ofType(run.resources, "kubernetes:core/v1:Namespace").find((r) => at(r.props, "metadata.name") === istioCsr.namespace);
        assert.ok(ns);
        const labels = at(ns.props, "metadata.labels") as Record<string, string>;
        for (const mode of ["enforce", "audit", "warn"]) assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}`], "restricted", mode);
        assert.strictEqual(labels["pod-security.kubernetes.io/enforce-version"], "latest");
        assert.strictEqual(labels["aks-platform/managed"], "true");
        assert.strictEqual(labels["aks-platform/role"], "istio-csr");
        assert.match(String(at(ns.props, "metadata.annotations.aks-platform/pod-security-reason")), /non-root/, "says why its pods pass restricted");
    });

    it("emits only objects that validate against their schemas", () => {
        for (const r of run.resources.filter(isManifest)) validateObject(manifestOf(r));
    });

    it("passes the policy pack with no mandatory violation", async () => {
        const violations = mandatoryViolations(await runPolicies(run.resources));
        assert.deepStrictEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
    });

    it("names its serving certificate after the namespace it runs in", () => {
        assert.deepStrictEqual(at(istioCsrValues(istioCsrSettings(stackPlatformConfig("dev"))), "app.tls.certificateDNSNames"), [`${istioCsr.releaseName}.${istioCsr.namespace}.svc`]);
    });
});
