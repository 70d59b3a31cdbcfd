/**
 * The chart values checked against Kubernetes' own rules and the platform's promises, for every
 * stack: container resources Kubernetes accepts (quantities, requests within limits), zone spread
 * that only prod makes strict, ports that match the NetworkPolicies, and the switches each chart
 * needs for what the README promises.
 */
import * as assert from "assert";
import { PlatformConfig } from "../../components/config";
import { certManagerSettings, certManagerValues } from "../../components/kubernetes/cert-manager";
import { ingressControllerValues, ingressSettings, nginxConfigEntries } from "../../components/kubernetes/ingress-controller";
import { istioCsrSettings, istioCsrValues } from "../../components/kubernetes/istio-csr";
import { certManager, istioCsr, nginxIngress } from "../../components/facts";
import { at, STACKS } from "../support/runs";
import { stackConfig } from "../networking/support";

type Values = Record<string, unknown>;
const IP = { name: "platform-ingress-ip", resourceGroupName: "platform-ingress-rg" };

/** Every chart's values for a config (istio-csr as if enabled). */
function chartValues(c: PlatformConfig): Record<string, Values> {
    return {
        "cert-manager": certManagerValues(certManagerSettings(c), "client-id"),
        "nginx-ingress": ingressControllerValues(ingressSettings(c), IP),
        "istio-csr": istioCsrValues(istioCsrSettings(c)),
    };
}

/**
 * A Kubernetes quantity in base units (k8s.io/apimachinery pkg/api/resource/quantity.go: decimal
 * suffix m, binary suffixes Ki, Mi, Gi); anything else is not a quantity the platform writes.
 */
function quantity(q: unknown): number {
    const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(String(q));
    if (!m) throw new Error(`${JSON.stringify(q)} is not a Kubernetes quantity`);
    const scale: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
    return Number(m[1]) * (m[2] === undefined ? 1 : scale[m[2]]);
}

/** Every `resources` block in a values tree, by its path. */
function resourceBlocks(v: unknown, path = ""): [string, Values][] {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return [];
    return Object.entries(v as Values).flatMap(([k, x]): [string, Values][] =>
        k === "resources" ? [[path || "(top)", x as Values]] : resourceBlocks(x, path ? `${path}.${k}` : k));
}

/** Every topologySpreadConstraints entry in a values tree. */
function spreads(v: unknown): Values[] {
    if (typeof v !== "object" || v === null) return [];
    if (Array.isArray(v)) return v.flatMap(spreads);
    return Object.entries(v as Values).flatMap(([k, x]) => k === "topologySpreadConstraints" ? (x as Values[]) : spreads(x));
}

describe("chart values against Kubernetes' rules and the platform's promises", () => {
    describe("container resources", () => {
        it("every container of every chart requests and limits CPU and memory, requests within limits", () => {
            // Kubernetes validation (pkg/apis/core/validation ValidateResourceRequirements): a request
            // must be less than or equal to its limit.
            for (const stack of STACKS) {
                for (const [chart, values] of Object.entries(chartValues(stackConfig(stack)))) {
                    const blocks = resourceBlocks(values);
                    assert.ok(blocks.length > 0, `${stack} ${chart}`);
                    for (const [path, r] of blocks) {
                        for (const kind of ["cpu", "memory"]) {
                            const request = quantity(at(r, `requests.${kind}`));
                            const limit = quantity(at(r, `limits.${kind}`));
                            assert.ok(request > 0 && request <= limit, `${stack} ${chart} ${path} ${kind}: ${request} > ${limit}`);
                        }
                    }
                }
            }
        });

        it("cert-manager sizes all four of its pods, the controller (which does the issuing) with the most CPU", () => {
            const v = chartValues(stackConfig("prod"))["cert-manager"];
            assert.deepStrictEqual(resourceBlocks(v).map(([p]) => p).sort(), ["(top)", "cainjector", "startupapicheck", "webhook"]);
            const cpu = (path: string): number => quantity(at(v, `${path}.requests.cpu`));
            for (const helper of ["webhook.resources", "cainjector.resources", "startupapicheck.resources"]) assert.ok(cpu("resources") > cpu(helper), helper);
        });

        it("prod gives the ingress controller and cert-manager's controller and cainjector more than dev", () => {
            const dev = chartValues(stackConfig("dev"));
            const prod = chartValues(stackConfig("prod"));
            const more = (chart: string, path: string): void => {
                for (const part of ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]) {
                    if (chart === "cert-manager" && part.endsWith("cpu")) continue; // cert-manager's CPU is the same everywhere
                    assert.ok(quantity(at(prod[chart], `${path}.${part}`)) > quantity(at(dev[chart], `${path}.${part}`)), `${chart} ${path}.${part}`);
                }
            };
            more("nginx-ingress", "controller.resources");
            more("cert-manager", "resources");
            more("cert-manager", "cainjector.resources");
        });
    });

    describe("zone spread", () => {
        it("spreads every replicated pod across zones by its own labels; only prod refuses to stack a zone", () => {
            for (const stack of STACKS) {
                const values = chartValues(stackConfig(stack));
                const all = [...spreads(values["cert-manager"]), ...spreads(values["nginx-ingress"])];
                assert.strictEqual(all.length, 4, stack); // cert-manager's three deployments and the controller
                for (const c of all) {
                    assert.strictEqual(c.topologyKey, "topology.kubernetes.io/zone"); // the well-known zone label
                    // The API's two values (k8s.io/api core/v1 UnsatisfiableConstraintAction).
                    assert.strictEqual(c.whenUnsatisfiable, stack === "prod" ? "DoNotSchedule" : "ScheduleAnyway", stack);
                    assert.ok(Object.keys((at(c, "labelSelector.matchLabels") ?? {}) as Values).length > 0, `${stack}: a selector`);
                }
                assert.deepStrictEqual(at(spreads(values["nginx-ingress"])[0], "labelSelector.matchLabels"), nginxIngress.podLabels(nginxIngress.releaseName));
            }
        });
    });

    describe("nginx-ingress", () => {
        it("runs as a Deployment (replicaCount applies to that kind only) and creates its IngressClass", () => {
            // charts/nginx-ingress/values.yaml at v5.5.4: controller.kind deployment or daemonset; ingressClass.create.
            const v = chartValues(stackConfig("dev"))["nginx-ingress"];
            assert.strictEqual(at(v, "controller.kind"), "deployment");
            assert.strictEqual(at(v, "controller.ingressClass.create"), true);
        });

        it("a PDB from exactly two replicas", () => {
            assert.strictEqual(at(chartValues(stackConfig("staging", { ingressReplicas: 2 }))["nginx-ingress"], "controller.podDisruptionBudget.enabled"), true);
        });

        it("turns upstream latency metrics (the 5xx alert's input) on in every monitoring mode but none", () => {
            for (const mode of ["none", "azure", "prometheus-operator"]) {
                const v = chartValues(stackConfig("staging", { monitoringMode: mode }))["nginx-ingress"];
                assert.strictEqual(at(v, "controller.enableLatencyMetrics"), mode !== "none", mode);
            }
        });

        it("serves its metrics as plain HTTP on the port the NetworkPolicies open", () => {
            const v = chartValues(stackConfig("dev"))["nginx-ingress"];
            assert.strictEqual(at(v, "prometheus.scheme"), "http"); // https needs a secret the platform does not make
            assert.strictEqual(at(v, "prometheus.port"), nginxIngress.ports.metrics.port);
        });

        it("sends HSTS for every subdomain (the wildcard serves them all), from NGINX itself, not a proxy in front", () => {
            const entries = nginxConfigEntries();
            assert.strictEqual(entries["hsts-include-subdomains"], "true");
            assert.strictEqual(entries["hsts-behind-proxy"], "false"); // the Azure load balancer is layer 4
            assert.strictEqual(entries["ssl-redirect"], "true");
        });
    });

    describe("cert-manager", () => {
        it("keeps its CRDs on uninstall, elects its leader in its own namespace, checks DNS-01 through public resolvers only", () => {
            for (const stack of STACKS) {
                const v = chartValues(stackConfig(stack))["cert-manager"];
                assert.deepStrictEqual(at(v, "crds"), { enabled: true, keep: true });
                assert.strictEqual(at(v, "global.leaderElection.namespace"), certManager.namespace);
                assert.strictEqual(at(v, "dns01RecursiveNameserversOnly"), true);
                assert.strictEqual(at(v, "prometheus.enabled"), true);
                assert.strictEqual(at(v, "serviceAccount.create"), true);
            }
        });

        it("keeps cert-manager's own labels on scrape in prometheus-operator mode (the alerts group by them)", () => {
            const v = chartValues(stackConfig("staging", { monitoringMode: "prometheus-operator" }))["cert-manager"];
            assert.strictEqual(at(v, "prometheus.servicemonitor.enabled"), true);
            assert.strictEqual(at(v, "prometheus.servicemonitor.honorLabels"), true);
        });
    });

    describe("istio-csr", () => {
        it("listens and serves metrics on the ports its NetworkPolicies open, with a metrics Service", () => {
            const v = chartValues(stackConfig("dev"))["istio-csr"];
            assert.strictEqual(at(v, "app.server.serving.port"), istioCsr.ports.grpc.port);
            assert.strictEqual(at(v, "app.metrics.port"), istioCsr.ports.metrics.port);
            assert.strictEqual(at(v, "app.metrics.service.enabled"), true);
            assert.strictEqual(at(v, "app.metrics.service.servicemonitor.enabled"), false);
        });

        it("has a ServiceMonitor with the selector labels in prometheus-operator mode", () => {
            const config = stackConfig("staging", { monitoringMode: "prometheus-operator" });
            const v = chartValues(config)["istio-csr"];
            assert.strictEqual(at(v, "app.metrics.service.servicemonitor.enabled"), true);
            assert.deepStrictEqual(at(v, "app.metrics.service.servicemonitor.labels"), config.monitoring.selectorLabels);
        });
    });
});
