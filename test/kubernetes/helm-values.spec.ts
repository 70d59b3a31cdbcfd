/** The Helm values builders are pure: config in, plain values out, tested without Pulumi. */
import * as assert from "assert";
import { certManagerSettings, certManagerValues } from "../../components/kubernetes/cert-manager";
import { PlatformConfig } from "../../components/config";
import { ingressControllerValues, ingressSettings, nginxConfigEntries } from "../../components/kubernetes/ingress-controller";
import { at } from "../support/runs";
import { stackPlatformConfig } from "../../plan/stack-config";
import { stackConfig } from "../networking/support";
import { certManager, nginxIngress, platformPriorityClass } from "../../components/facts";

const cmValues = (c: PlatformConfig, id: string): Record<string, unknown> => certManagerValues(certManagerSettings(c), id);
const ingValues = (c: PlatformConfig, ip: { name: string; resourceGroupName: string }): Record<string, unknown> => ingressControllerValues(ingressSettings(c), ip);

describe("Helm values (pure builders)", () => {
    describe("certManagerValues", () => {
        it("annotates the controller's service account with exactly the given client id", () => {
            const v = cmValues(stackPlatformConfig("dev"), "11111111-2222-4333-8444-555555555555");
            assert.deepStrictEqual(at(v, "serviceAccount.annotations"), { "azure.workload.identity/client-id": "11111111-2222-4333-8444-555555555555" });
            assert.strictEqual(at(v, "serviceAccount.name"), certManager.controllerServiceAccount);
        });

        it("labels only the controller's pods for workload identity (webhook and cainjector need no Azure token)", () => {
            const v = cmValues(stackPlatformConfig("dev"), "id");
            assert.deepStrictEqual(at(v, "podLabels"), { "azure.workload.identity/use": "true" });
            assert.strictEqual(at(v, "webhook.podLabels"), undefined);
            assert.strictEqual(at(v, "cainjector.podLabels"), undefined);
        });

        it("passes the configured resolvers, in order, as the only DNS-01 nameservers", () => {
            const v = cmValues(stackConfig("dev", { recursiveNameservers: ["9.9.9.9:53", "149.112.112.112:53"] }), "id");
            assert.strictEqual(at(v, "dns01RecursiveNameservers"), "9.9.9.9:53,149.112.112.112:53");
            assert.strictEqual(at(v, "dns01RecursiveNameserversOnly"), true);
        });

        it("enables PodDisruptionBudgets only with two or more replicas, for every component", () => {
            for (const [replicas, enabled] of [[1, false], [2, true], [3, true]] as const) {
                const v = cmValues(stackConfig("staging", { certManagerReplicas: replicas }), "id");
                for (const prefix of ["", "webhook.", "cainjector."]) {
                    assert.strictEqual(at(v, `${prefix}replicaCount`), replicas);
                    assert.strictEqual(at(v, `${prefix}podDisruptionBudget.enabled`), enabled, `${prefix}${replicas}`);
                }
            }
        });

        it("spreads each component by its own chart labels", () => {
            const v = cmValues(stackPlatformConfig("prod"), "id");
            const webhook = (at(v, "webhook.topologySpreadConstraints") as { labelSelector: { matchLabels: Record<string, string> } }[])[0];
            assert.deepStrictEqual(webhook.labelSelector.matchLabels, { ...certManager.podLabels.webhook, "app.kubernetes.io/instance": certManager.releaseName });
        });

        it("turns the ServiceMonitor on in prometheus-operator mode only, with the selector labels a Prometheus selects it by", () => {
            const on = cmValues(stackConfig("dev", { monitoringMode: "prometheus-operator", prometheusSelectorLabels: { release: "kps" } }), "id");
            assert.strictEqual(at(on, "prometheus.servicemonitor.enabled"), true);
            assert.deepStrictEqual(at(on, "prometheus.servicemonitor.labels"), { release: "kps" });
            for (const mode of ["azure", "none"]) assert.strictEqual(at(cmValues(stackConfig("dev", { monitoringMode: mode }), "id"), "prometheus.servicemonitor.enabled"), false, mode);
        });

        it("runs every cert-manager pod at the platform's priority class", () => {
            assert.strictEqual(at(cmValues(stackPlatformConfig("dev"), "id"), "global.priorityClassName"), platformPriorityClass.name);
        });
    });

    describe("ingressControllerValues", () => {
        const ip = { name: "platform-dev-ingress-ip", resourceGroupName: "platform-dev-ingress-rg" };

        it("puts the Service on the named static IP in its resource group, with no probe path (ignored with externalTrafficPolicy Local)", () => {
            const v = ingValues(stackPlatformConfig("dev"), ip);
            const annotations = at(v, "controller.service.annotations") as Record<string, string>;
            assert.deepStrictEqual(annotations, {
                "service.beta.kubernetes.io/azure-pip-name": ip.name,
                "service.beta.kubernetes.io/azure-load-balancer-resource-group": ip.resourceGroupName,
            });
            assert.strictEqual(at(v, "controller.service.externalTrafficPolicy"), "Local");
        });

        it("reports no telemetry, runs on a read-only root filesystem at the platform's priority, serves HTTP/2", () => {
            const v = ingValues(stackPlatformConfig("dev"), ip);
            assert.strictEqual(at(v, "controller.telemetryReporting.enable"), false);
            assert.strictEqual(at(v, "controller.readOnlyRootFilesystem"), true);
            assert.strictEqual(at(v, "controller.priorityClassName"), platformPriorityClass.name);
            assert.strictEqual(nginxConfigEntries().http2, "true");
        });

        it("creates the metrics Service and ServiceMonitor with the selector labels in prometheus-operator mode only", () => {
            const on = ingValues(stackConfig("prod", { monitoringMode: "prometheus-operator" }), ip);
            assert.strictEqual(at(on, "prometheus.serviceMonitor.create"), true);
            assert.strictEqual(at(on, "prometheus.service.create"), true);
            assert.deepStrictEqual(at(on, "prometheus.serviceMonitor.labels"), { release: "kube-prometheus-stack" });
            const off = ingValues(stackPlatformConfig("prod"), ip);
            assert.strictEqual(at(off, "prometheus.serviceMonitor.create"), false);
            assert.strictEqual(at(off, "prometheus.create"), true, "the metrics port stays on for any scraper");
        });

        it("serves the wildcard secret by default and for TLS hosts without a secret", () => {
            const v = ingValues(stackPlatformConfig("dev"), ip);
            const secret = `${nginxIngress.namespace}/${nginxIngress.wildcardSecretName}`;
            assert.strictEqual(at(v, "controller.defaultTLS.secret"), secret);
            assert.strictEqual(at(v, "controller.wildcardTLS.secret"), secret);
        });

        it("uses the standard Ingress API only, with snippets off", () => {
            const v = ingValues(stackPlatformConfig("dev"), ip);
            assert.strictEqual(at(v, "controller.enableCustomResources"), false);
            assert.strictEqual(at(v, "controller.enableSnippets"), false);
            assert.strictEqual(at(v, "controller.ingressClass.name"), nginxIngress.ingressClassName);
            assert.strictEqual(at(v, "controller.ingressClass.setAsDefaultIngress"), false);
        });

        it("follows the replica count, with a PDB from two replicas", () => {
            assert.strictEqual(at(ingValues(stackConfig("staging", { ingressReplicas: 1 }), ip), "controller.podDisruptionBudget.enabled"), false);
            const v = ingValues(stackConfig("staging", { ingressReplicas: 4 }), ip);
            assert.strictEqual(at(v, "controller.replicaCount"), 4);
            assert.strictEqual(at(v, "controller.podDisruptionBudget.enabled"), true);
        });

        it("never allows TLS below 1.2 and turns HSTS on", () => {
            const entries = nginxConfigEntries();
            assert.ok(!/TLSv1(\.[01])?( |$)/.test(entries["ssl-protocols"]), entries["ssl-protocols"]);
            assert.ok(Number(entries["hsts-max-age"]) >= 15552000, "HSTS for at least 180 days");
            assert.strictEqual(entries.hsts, "true");
        });
    });
});
